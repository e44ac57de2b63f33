"use strict";
exports.id = 551;
exports.ids = [551,15];
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

/***/ 2551:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readS3Lines: () => (/* binding */ readS3Lines),
/* harmony export */   readS3Text: () => (/* binding */ readS3Text),
/* harmony export */   s3Chunks: () => (/* binding */ s3Chunks)
/* harmony export */ });
/* harmony import */ var _s3_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1015);
/* harmony import */ var _s3_uri_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2692);
/* harmony import */ var _datasets_line_reader_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4835);



async function readS3Text(region, uri, pollIntervalMs, sockets, signal) {
    const where = (0,_s3_uri_js__WEBPACK_IMPORTED_MODULE_2__/* .splitS3Uri */ .D)(uri);
    if (!where)
        throw new Error(`not an s3:// URI: ${uri}`);
    const { GetObjectCommand } = await Promise.all(/* import() */[__webpack_require__.e(609), __webpack_require__.e(861), __webpack_require__.e(711)]).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const client = await (0,_s3_client_js__WEBPACK_IMPORTED_MODULE_0__.s3Client)({ region, pollIntervalMs, sockets });
    const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }), {
        abortSignal: signal
    });
    return (await out.Body?.transformToString('utf8')) ?? '';
}
// A validation manifest repeats each line of its dataset (at most 100,000 bytes, the guide's limit)
// with the service's findings added, and is about as large as the dataset (at most 1 GB). The
// guide sets no limit of its own for these files, so the reading allows ten times the line and
// twice the dataset: what is past either is skipped, and memory stays bounded whatever the file.
const VALIDATION_LIMITS = { maxLineBytes: 1_000_000, maxBytes: 2_000_000_000 };
/** Streams a text object line by line (a validation manifest can be as large as its dataset). A
 * line over the limit is skipped, and still counted. */
async function readS3Lines(region, uri, pollIntervalMs, sockets, onLine, signal, limits = VALIDATION_LIMITS) {
    let n = 0;
    const body = s3Chunks(region, uri, pollIntervalMs, sockets, signal);
    for await (const line of (0,_datasets_line_reader_js__WEBPACK_IMPORTED_MODULE_1__/* .splitLines */ .uz)(body, limits)) {
        n++;
        if (!(0,_datasets_line_reader_js__WEBPACK_IMPORTED_MODULE_1__/* .isLongLine */ .XV)(line))
            onLine(line, n);
    }
}
/**
 * An object's body as it arrives, never held whole; ending the iteration early (a cap reached)
 * ends the download.
 */
async function* s3Chunks(region, uri, pollIntervalMs, sockets, signal) {
    const where = (0,_s3_uri_js__WEBPACK_IMPORTED_MODULE_2__/* .splitS3Uri */ .D)(uri);
    if (!where)
        throw new Error(`not an s3:// URI: ${uri}`);
    const { GetObjectCommand } = await Promise.all(/* import() */[__webpack_require__.e(609), __webpack_require__.e(861), __webpack_require__.e(711)]).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const client = await (0,_s3_client_js__WEBPACK_IMPORTED_MODULE_0__.s3Client)({ region, pollIntervalMs, sockets });
    const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }), {
        abortSignal: signal
    });
    const body = out.Body;
    if (!body)
        return;
    try {
        yield* body;
    }
    finally {
        body.destroy?.();
    }
}


/***/ })

};
;