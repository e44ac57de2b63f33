export const id = 117;
export const ids = [117];
export const modules = {

/***/ 9117:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   uploadFile: () => (/* binding */ uploadFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1513);
/* harmony import */ var _explain_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7754);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2495);
// Uploads a repository manifest to S3, streamed from disk so a large manifest costs no memory.
// The S3 client is loaded only when a repository manifest is trained on.




async function uploadFile(region, bucket, key, file, pollIntervalMs, sockets) {
    const { S3Client, PutObjectCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    // A spent stream cannot be sent again, so retries happen here, each with a fresh stream.
    const client = new S3Client({
        region,
        maxAttempts: 1,
        requestHandler: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_2__/* .handlerOptions */ .jI)(60_000, sockets)
    });
    for (let attempt = 1;; attempt++) {
        try {
            await client.send(new PutObjectCommand({
                Bucket: bucket,
                Key: key,
                Body: (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(file),
                ContentLength: (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(file).size,
                ContentType: 'application/x-ndjson'
            }));
            return;
        }
        catch (err) {
            if (attempt >= _retry_js__WEBPACK_IMPORTED_MODULE_3__/* .MAX_ATTEMPTS */ .m || !(0,_explain_js__WEBPACK_IMPORTED_MODULE_1__/* .isTransient */ .dg)(err))
                throw err;
            await new Promise((r) => setTimeout(r, (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .backoffDelay */ .E)(attempt, pollIntervalMs)));
        }
    }
}


/***/ })

};
