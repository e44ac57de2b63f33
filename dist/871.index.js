export const id = 871;
export const ids = [871,551,15];
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
/* harmony export */   readS3Text: () => (/* binding */ readS3Text)
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


/***/ }),

/***/ 6871:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gatherResults: () => (/* binding */ gatherResults)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-rekognition/dist-cjs/index.js
var dist_cjs = __webpack_require__(9978);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/aws/explain.ts
var explain = __webpack_require__(7754);
// EXTERNAL MODULE: ./src/training/versions.ts
var versions = __webpack_require__(7373);
;// CONCATENATED MODULE: ./src/results/baseline.ts
// The version to compare against: `auto` (the newest other version with an F1 score) or a name.




/** Pages read at most (100 versions each) before `auto` gives up. */
const MAX_PAGES = 50;
const hasF1 = (v) => v.EvaluationResult?.F1Score !== undefined;
async function describe(client, input) {
    try {
        return await client.send(new dist_cjs/* DescribeProjectVersionsCommand */.rzj(input));
    }
    catch (err) {
        throw new errors/* ActionError */.lZ((0,explain/* explainAwsError */.Ni)(err, 'rekognition:DescribeProjectVersions', input.ProjectArn).message);
    }
}
async function findBaseline(client, projectArn, spec, currentName) {
    if (spec !== 'auto') {
        if (spec === currentName)
            return { missing: `baseline-version ${spec} is the version being trained` };
        const out = await describe(client, { ProjectArn: projectArn, VersionNames: [spec] });
        const found = out.ProjectVersionDescriptions?.find((v) => (0,versions/* versionNameOf */.hC)(v.ProjectVersionArn) === spec);
        if (!found)
            return { missing: `baseline-version ${spec} is not in the project` };
        if (!hasF1(found))
            return { missing: `baseline-version ${spec} has no F1 score (${found.Status})` };
        return { baseline: found };
    }
    let token;
    for (let page = 0; page < MAX_PAGES; page++) {
        // Newest first: the first other version with an F1 score is the baseline.
        const out = await describe(client, { ProjectArn: projectArn, NextToken: token });
        const found = out.ProjectVersionDescriptions?.find((v) => (0,versions/* versionNameOf */.hC)(v.ProjectVersionArn) !== currentName && hasF1(v));
        if (found)
            return { baseline: found };
        token = out.NextToken;
        if (!token)
            return { firstVersion: true, missing: 'no other version of the project has an F1 score' };
    }
    return { missing: `no version with an F1 score among the newest ${MAX_PAGES * 100}` };
}

;// CONCATENATED MODULE: ./src/results/evaluation.ts
// The evaluation summary file the service writes: per-label and aggregate metrics. Pure.
// Two shapes exist (REKOGNITION.md): AggregatedEvaluationResults.Metrics {...} as documented, and
// the guide's older example with the metrics directly under AggregatedEvaluationResults.
const num = (v) => typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const obj = (v) => v && typeof v === 'object' && !Array.isArray(v) ? v : {};
function metrics(source) {
    const m = obj(source.Metrics);
    const from = Object.keys(m).length > 0 ? m : source;
    return { precision: num(from.Precision), recall: num(from.Recall), f1: num(from.F1Score) };
}
/** Throws when the text is not an evaluation summary at all. */
function parseEvaluationSummary(text) {
    const root = obj(JSON.parse(text));
    if (!('AggregatedEvaluationResults' in root) && !('LabelEvaluationResults' in root)) {
        throw new Error('no AggregatedEvaluationResults or LabelEvaluationResults in it');
    }
    const labels = Array.isArray(root.LabelEvaluationResults) ? root.LabelEvaluationResults : [];
    const details = obj(root.EvaluationDetails);
    return {
        aggregate: metrics(obj(root.AggregatedEvaluationResults)),
        labels: labels.map((entry) => {
            const e = obj(entry);
            const m = obj(e.Metrics);
            return {
                label: typeof e.Label === 'string' ? e.Label : String(e.Label ?? '?'),
                testImages: num(e.NumberOfTestingImages),
                threshold: num(m.Threshold),
                ...metrics(e)
            };
        }),
        trainingImages: num(details.NumberOfTrainingImages),
        testingImages: num(details.NumberOfTestingImages)
    };
}
/** Per-label F1 deltas against the baseline's summary; labels the baseline lacked are marked. */
function compareLabels(current, baseline) {
    const before = new Map((baseline ?? []).map((l) => [l.label, l]));
    return current.map((l) => {
        const b = before.get(l.label);
        if (!baseline)
            return { ...l };
        if (!b)
            return { ...l, added: true };
        const f1Delta = l.f1 !== undefined && b.f1 !== undefined ? l.f1 - b.f1 : undefined;
        return { ...l, f1Delta };
    });
}

;// CONCATENATED MODULE: ./src/results/gates.ts
// The quality gates: min-f1-score and max-f1-drop. Pure.
const f = (n) => n.toFixed(3);
function evaluateGates(g) {
    const verdicts = [];
    if (g.minF1Score !== undefined) {
        if (g.f1 === undefined) {
            verdicts.push({
                gate: 'min-f1-score',
                passed: false,
                detail: `no F1 score to compare with ${f(g.minF1Score)}`
            });
        }
        else {
            const passed = g.f1 >= g.minF1Score;
            const by = Math.abs(g.f1 - g.minF1Score);
            verdicts.push({
                gate: 'min-f1-score',
                passed,
                detail: passed
                    ? `F1 ${f(g.f1)} ≥ ${f(g.minF1Score)} (by ${f(by)})`
                    : `F1 ${f(g.f1)} is below min-f1-score ${f(g.minF1Score)} by ${f(by)}`
            });
        }
    }
    if (g.maxF1Drop !== undefined) {
        if (g.f1 === undefined) {
            verdicts.push({
                gate: 'max-f1-drop',
                passed: false,
                detail: 'no F1 score to compare with the baseline'
            });
        }
        else if (g.baselineF1 === undefined) {
            verdicts.push(g.firstVersion
                ? {
                    gate: 'max-f1-drop',
                    passed: true,
                    detail: 'no earlier version with an F1 score: nothing to drop from'
                }
                : {
                    gate: 'max-f1-drop',
                    passed: false,
                    detail: `no baseline F1 to compare with: ${g.baselineMissing ?? 'not found'}`
                });
        }
        else {
            const drop = g.baselineF1 - g.f1;
            const passed = drop <= g.maxF1Drop + 1e-12;
            verdicts.push({
                gate: 'max-f1-drop',
                passed,
                detail: passed
                    ? `F1 ${f(g.f1)} vs baseline ${f(g.baselineF1)}: ${drop > 0 ? `drop ${f(drop)}` : `gain ${f(-drop)}`}, within ${f(g.maxF1Drop)}`
                    : `F1 ${f(g.f1)} dropped ${f(drop)} from the baseline's ${f(g.baselineF1)}, more than max-f1-drop ${f(g.maxF1Drop)} by ${f(drop - g.maxF1Drop)}`
            });
        }
    }
    return verdicts;
}

// EXTERNAL MODULE: ./src/training/outcome.ts
var outcome = __webpack_require__(5450);
// EXTERNAL MODULE: ./src/aws/s3-text.ts
var s3_text = __webpack_require__(2551);
;// CONCATENATED MODULE: ./src/results/results.ts







async function readLabels(deps, d, whose) {
    const uri = (0,outcome/* evaluationSummaryUri */.Xd)(d);
    if (!uri)
        return { note: `No evaluation summary for ${whose}.` };
    try {
        return { labels: parseEvaluationSummary(await deps.readText(uri)).labels };
    }
    catch (err) {
        const bucket = (0,s3_text/* splitS3Uri */.D)(uri)?.bucket ?? '?';
        const why = (0,explain/* errorName */.Is)(err);
        const hint = /AccessDenied|Forbidden/i.test(`${why} ${err.message}`)
            ? `allow s3:GetObject on arn:aws:s3:::${bucket}/* to read it`
            : 'it could not be read';
        const note = `Per-label metrics of ${whose} unavailable (${why}): ${hint}. ${uri}`;
        deps.warning(note);
        return { note };
    }
}
async function gatherResults(deps, inputs, versionName, d) {
    const f1 = d.EvaluationResult?.F1Score;
    const current = await readLabels(deps, d, 'this version');
    let baselineInfo;
    let baselineLabels;
    let baselineNote;
    let firstVersion = false;
    if (inputs.baselineVersion) {
        const found = await findBaseline(deps.client, inputs.projectArn, inputs.baselineVersion, versionName);
        baselineNote = found.missing;
        firstVersion = found.firstVersion ?? false;
        if (found.baseline) {
            const b = found.baseline;
            baselineInfo = {
                name: (0,versions/* versionNameOf */.hC)(b.ProjectVersionArn) ?? '?',
                arn: b.ProjectVersionArn ?? '',
                f1: b.EvaluationResult.F1Score
            };
            if (current.labels)
                baselineLabels = (await readLabels(deps, b, `baseline ${baselineInfo.name}`)).labels;
        }
    }
    const gates = evaluateGates({
        f1,
        minF1Score: inputs.minF1Score,
        maxF1Drop: inputs.maxF1Drop,
        baselineF1: baselineInfo?.f1,
        baselineMissing: baselineNote,
        firstVersion
    });
    return {
        labels: current.labels ? compareLabels(current.labels, baselineLabels) : undefined,
        labelsNote: current.note,
        baseline: baselineInfo,
        baselineNote,
        gates
    };
}


/***/ })

};
