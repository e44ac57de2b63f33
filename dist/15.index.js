"use strict";
exports.id = 15;
exports.ids = [15];
exports.modules = {

/***/ 1015:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s3Client: () => (/* binding */ s3Client)
/* harmony export */ });
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5981);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2495);


async function s3Client(opts) {
    const [{ S3Client }, { ConfiguredRetryStrategy }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(609), __webpack_require__.e(861), __webpack_require__.e(711)]).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19)),
        __webpack_require__.e(/* import() */ 609).then(__webpack_require__.t.bind(__webpack_require__, 3609, 19))
    ]);
    return new S3Client({
        region: opts.region,
        ...(opts.retries === false
            ? { maxAttempts: 1 }
            : {
                retryStrategy: new ConfiguredRetryStrategy(_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_ATTEMPTS */ .m, (attempt) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .backoffDelay */ .EY)(attempt, opts.pollIntervalMs))
            }),
        requestHandler: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .handlerOptions */ .jI)(opts.requestTimeoutMs ?? 30_000, opts.sockets)
    });
}


/***/ })

};
;