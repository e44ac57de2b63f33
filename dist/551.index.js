export const id = 551;
export const ids = [551];
export const modules = {

/***/ 2551:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ splitS3Uri),
/* harmony export */   readS3Text: () => (/* binding */ readS3Text)
/* harmony export */ });
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1513);
// Reads a small text object from S3. The S3 client is loaded only here, at the end of a run, to
// keep it off the start-up path.

function splitS3Uri(uri) {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    return m ? { bucket: m[1], key: m[2] } : undefined;
}
async function readS3Text(region, uri, pollIntervalMs, sockets, signal) {
    const where = splitS3Uri(uri);
    if (!where)
        throw new Error(`not an s3:// URI: ${uri}`);
    const { S3Client, GetObjectCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const client = new S3Client({
        region,
        retryStrategy: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .retryStrategy */ .UN)(pollIntervalMs),
        requestHandler: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .handlerOptions */ .jI)(30_000, sockets)
    });
    const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }), {
        abortSignal: signal
    });
    return (await out.Body?.transformToString('utf8')) ?? '';
}


/***/ })

};
