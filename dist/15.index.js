export const id = 15;
export const ids = [15];
export const modules = {

/***/ 1015:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s3Client: () => (/* binding */ s3Client)
/* harmony export */ });
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1513);

async function s3Client(opts) {
    const { S3Client } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    return new S3Client({
        region: opts.region,
        ...(opts.retries === false
            ? { maxAttempts: 1 }
            : { retryStrategy: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .retryStrategy */ .UN)(opts.pollIntervalMs) }),
        requestHandler: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .handlerOptions */ .jI)(opts.requestTimeoutMs ?? 30_000, opts.sockets)
    });
}


/***/ })

};
