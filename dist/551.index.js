export const id = 551;
export const ids = [551,15];
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


/***/ }),

/***/ 2551:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ splitS3Uri),
/* harmony export */   readS3Lines: () => (/* binding */ readS3Lines),
/* harmony export */   readS3Text: () => (/* binding */ readS3Text),
/* harmony export */   s3Chunks: () => (/* binding */ s3Chunks)
/* harmony export */ });
/* harmony import */ var _s3_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1015);

function splitS3Uri(uri) {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    return m ? { bucket: m[1], key: m[2] } : undefined;
}
async function readS3Text(region, uri, pollIntervalMs, sockets, signal) {
    const where = splitS3Uri(uri);
    if (!where)
        throw new Error(`not an s3:// URI: ${uri}`);
    const { GetObjectCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const client = await (0,_s3_client_js__WEBPACK_IMPORTED_MODULE_0__.s3Client)({ region, pollIntervalMs, sockets });
    const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }), {
        abortSignal: signal
    });
    return (await out.Body?.transformToString('utf8')) ?? '';
}
/** Streams a text object line by line (a validation manifest can be as large as its dataset). */
async function readS3Lines(region, uri, pollIntervalMs, sockets, onLine, signal) {
    const where = splitS3Uri(uri);
    if (!where)
        throw new Error(`not an s3:// URI: ${uri}`);
    const { GetObjectCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const { createInterface } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 481, 23));
    const client = await (0,_s3_client_js__WEBPACK_IMPORTED_MODULE_0__.s3Client)({ region, pollIntervalMs, sockets });
    const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }), {
        abortSignal: signal
    });
    const body = out.Body;
    if (!body)
        return;
    let n = 0;
    for await (const text of createInterface({ input: body, crlfDelay: Infinity }))
        onLine(text, ++n);
}
/**
 * An object's body as it arrives, never held whole; ending the iteration early (a cap reached)
 * ends the download.
 */
async function* s3Chunks(region, uri, pollIntervalMs, sockets, signal) {
    const where = splitS3Uri(uri);
    if (!where)
        throw new Error(`not an s3:// URI: ${uri}`);
    const { GetObjectCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
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
