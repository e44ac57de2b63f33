"use strict";
exports.id = 117;
exports.ids = [117,15];
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


/***/ }),

/***/ 9117:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   joined: () => (/* binding */ joined),
/* harmony export */   uploadFiles: () => (/* binding */ uploadFiles)
/* harmony export */ });
/* unused harmony export joinedLength */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _explain_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7754);
/* harmony import */ var _s3_client_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1015);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2495);
// Uploads repository manifests to S3, streamed from disk so a large manifest costs no memory;
// several files of one dataset go up as one object, joined on line boundaries.
// The S3 client is loaded only when a repository manifest is trained on.





/** The parts one after the other, each ended by a newline: a fresh stream per attempt. */
function joined(parts) {
    return node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.from((async function* () {
        for (const part of parts) {
            for await (const chunk of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(part.path))
                yield chunk;
            if (!part.newline)
                yield Buffer.from('\n');
        }
    })());
}
const joinedLength = (parts) => parts.reduce((n, p) => n + p.size + (p.newline ? 0 : 1), 0);
async function uploadFiles(region, bucket, key, parts, pollIntervalMs, sockets) {
    const { PutObjectCommand } = await Promise.all(/* import() */[__webpack_require__.e(609), __webpack_require__.e(861), __webpack_require__.e(711)]).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    // A spent stream cannot be sent again, so retries happen here, each with a fresh stream.
    const client = await (0,_s3_client_js__WEBPACK_IMPORTED_MODULE_3__.s3Client)({
        region,
        pollIntervalMs,
        sockets,
        requestTimeoutMs: 60_000,
        retries: false
    });
    for (let attempt = 1;; attempt++) {
        try {
            await client.send(new PutObjectCommand({
                Bucket: bucket,
                Key: key,
                Body: parts.length === 1 && parts[0].newline
                    ? (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(parts[0].path)
                    : joined(parts),
                ContentLength: joinedLength(parts),
                ContentType: 'application/x-ndjson'
            }));
            return;
        }
        catch (err) {
            if (attempt >= _retry_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_ATTEMPTS */ .m || !(0,_explain_js__WEBPACK_IMPORTED_MODULE_2__/* .isTransient */ .dg)(err))
                throw err;
            await new Promise((r) => setTimeout(r, (0,_retry_js__WEBPACK_IMPORTED_MODULE_4__/* .backoffDelay */ .EY)(attempt, pollIntervalMs)));
        }
    }
}


/***/ })

};
;