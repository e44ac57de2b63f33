export const id = 110;
export const ids = [110,107,551,15];
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

/***/ 2107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Xn: () => (/* binding */ findBaseline),
/* harmony export */   autoScope: () => (/* binding */ autoScope)
/* harmony export */ });
/* unused harmony exports MAX_PAGES, MAX_TAG_READS, REF_TAG */
/* harmony import */ var _aws_sdk_client_rekognition__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9978);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3916);
/* harmony import */ var _aws_explain_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7754);
/* harmony import */ var _inputs_tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4480);
/* harmony import */ var _training_newest_first_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(1945);
/* harmony import */ var _training_statuses_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6702);
/* harmony import */ var _training_versions_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4261);
// The version to compare against: `auto` or a version name.
//
// `auto`: on pull-request events the newest completed version trained from the PR's base branch
// (its `github:ref` tag is `refs/heads/<base>`); on other events the newest completed version
// trained from the same ref before this one. Versions with no `github:ref` tag (trained outside
// CI) are the fallback, with a notice. DescribeProjectVersions lists "latest to earliest"
// (botocore's rekognition/2016-06-27/service-2.json; see training/newest-first.ts): pages are read
// until they hold MAX_TAG_READS candidates, since the older pages after them cannot change the
// newest candidates, or every page (up to MAX_PAGES) when the pages break that order. What was read
// is still ordered here by CreationTimestamp; the tags of the newest few dozen are read with
// ListTagsForResource, one call each, newest first, until one matches.







/** Pages read at most (100 versions each) before `auto` gives up reading. */
const MAX_PAGES = 20;
/** Completed versions whose tags are read at most, newest first. */
const MAX_TAG_READS = 30;
const REF_TAG = 'github:ref';
function autoScope(ctx) {
    if (ctx.baseRef) {
        return {
            ref: (0,_inputs_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .sanitizeTagValue */ .Zz)(`refs/heads/${ctx.baseRef}`),
            whose: 'the PR’s base branch',
            before: false
        };
    }
    return { ref: (0,_inputs_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .sanitizeTagValue */ .Zz)(ctx.ref), whose: 'this run’s ref', before: true };
}
const hasF1 = (v) => v.EvaluationResult?.F1Score !== undefined;
/**
 * Trained and scored: TRAINING_COMPLETED, or a status a completed version moves on to when it is
 * started, stopped or copied (a deployed model is the likeliest baseline of all).
 */
const completed = (v) => (0,_training_statuses_js__WEBPACK_IMPORTED_MODULE_2__/* .statusMeaning */ .u)(v.Status) === 'trained' && hasF1(v);
const created = (v) => v.CreationTimestamp?.getTime() ?? 0;
async function describe(client, input) {
    try {
        return await client.send(new _aws_sdk_client_rekognition__WEBPACK_IMPORTED_MODULE_4__/* .DescribeProjectVersionsCommand */ .rzj(input));
    }
    catch (err) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .lZ((0,_aws_explain_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsError */ .Ni)(err, 'rekognition:DescribeProjectVersions', input.ProjectArn).message);
    }
}
async function named(client, projectArn, spec, current) {
    if (spec === current.name)
        return { missing: `baseline-version ${spec} is the version being trained` };
    const out = await describe(client, { ProjectArn: projectArn, VersionNames: [spec] });
    const found = out.ProjectVersionDescriptions?.find((v) => (0,_training_versions_js__WEBPACK_IMPORTED_MODULE_3__/* .versionNameOf */ .hC)(v.ProjectVersionArn) === spec);
    if (!found)
        return { missing: `baseline-version ${spec} is not in the project` };
    if (!hasF1(found))
        return { missing: `baseline-version ${spec} has no F1 score (${found.Status})` };
    return { baseline: found, reason: 'named by baseline-version' };
}
/**
 * The project's versions, page by page (up to MAX_PAGES), until `enough` says the pages read hold
 * the answer and the pages kept the documented newest-first order.
 */
async function newestVersions(client, projectArn, enough) {
    const versions = [];
    const order = new _training_newest_first_js__WEBPACK_IMPORTED_MODULE_6__/* .PageOrder */ .g();
    let token;
    for (let page = 0; page < MAX_PAGES; page++) {
        const out = await describe(client, {
            ProjectArn: projectArn,
            MaxResults: 100,
            NextToken: token
        });
        const descriptions = out.ProjectVersionDescriptions ?? [];
        versions.push(...descriptions);
        order.add(descriptions);
        token = out.NextToken;
        if (!token || (order.holds && enough(versions)))
            return { versions, truncated: false };
    }
    return { versions, truncated: true };
}
async function findBaseline(client, projectArn, spec, current, scope) {
    if (spec !== 'auto')
        return named(client, projectArn, spec, current);
    const since = current.createdAt?.getTime();
    const candidatesOf = (versions) => versions
        .filter((v) => completed(v) && (0,_training_versions_js__WEBPACK_IMPORTED_MODULE_3__/* .versionNameOf */ .hC)(v.ProjectVersionArn) !== current.name)
        .filter((v) => !scope.before || since === undefined || created(v) < since);
    const { versions, truncated } = await newestVersions(client, projectArn, (read) => candidatesOf(read).length >= MAX_TAG_READS);
    const candidates = candidatesOf(versions).sort((a, b) => created(b) - created(a));
    const read = truncated ? ` among the newest ${MAX_PAGES * 100} versions read` : '';
    if (candidates.length === 0) {
        return {
            firstVersion: true,
            missing: scope.before
                ? `no completed version of the project was created before this one${read}`
                : `no other completed version of the project${read}`
        };
    }
    const wanted = `${REF_TAG} ${scope.ref || '(none)'}`;
    const before = scope.before ? ' before this one' : '';
    let untagged;
    const looked = candidates.slice(0, MAX_TAG_READS);
    for (const v of looked) {
        let tags;
        try {
            const out = await client.send(new _aws_sdk_client_rekognition__WEBPACK_IMPORTED_MODULE_4__/* .ListTagsForResourceCommand */ .a_e({ ResourceArn: v.ProjectVersionArn }));
            tags = out.Tags ?? {};
        }
        catch (err) {
            const explained = (0,_aws_explain_js__WEBPACK_IMPORTED_MODULE_0__/* .explainAwsError */ .Ni)(err, 'rekognition:ListTagsForResource', v.ProjectVersionArn ?? projectArn);
            const missing = `the baseline could not be chosen: ${explained.message}`;
            return { missing, warning: missing };
        }
        const ref = tags[REF_TAG];
        if (scope.ref && ref === scope.ref) {
            return {
                baseline: v,
                reason: `the newest completed version trained from ${scope.whose}, ${scope.ref}${before ? `,${before}` : ''}`
            };
        }
        if (ref === undefined)
            untagged ??= v;
    }
    const none = `no completed version${before} is tagged ${wanted} among the newest ${looked.length}`;
    if (untagged) {
        const reason = `${none}; fallback: the newest completed version without a ${REF_TAG} tag, trained outside CI`;
        const name = (0,_training_versions_js__WEBPACK_IMPORTED_MODULE_3__/* .versionNameOf */ .hC)(untagged.ProjectVersionArn) ?? '?';
        return { baseline: untagged, reason, notice: `Baseline ${name}: ${reason}.` };
    }
    // Other lines of work only (other pull requests, other branches): nothing on this line to
    // compare with yet, as for a project's first version.
    return { firstVersion: true, missing: `${none}: nothing from ${scope.whose} to compare with` };
}


/***/ }),

/***/ 1110:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gatherResults: () => (/* binding */ gatherResults)
});

// EXTERNAL MODULE: ./src/results/baseline.ts
var baseline = __webpack_require__(2107);
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

// EXTERNAL MODULE: ./src/aws/explain.ts
var explain = __webpack_require__(7754);
;// CONCATENATED MODULE: ./src/results/gates.ts
// The quality gates: min-f1-score and max-f1-drop. Pure.
const f = (n) => n.toFixed(3);
/**
 * Why an F1 score cannot be compared, if it cannot: missing, or not a finite number. The JSON
 * protocol carries `"NaN"`, `"Infinity"`, `"-Infinity"` for floats and the SDK turns them (and a
 * number too large for a double, like 1e999) into NaN and ±Infinity; a comparison with those
 * could pass (Infinity >= 0.9), so they fail every gate.
 */
function unusableF1(f1, with_) {
    if (f1 === undefined)
        return `no F1 score to compare with ${with_}`;
    if (typeof f1 !== 'number' || !Number.isFinite(f1)) {
        return `F1 score ${String(f1)} is not a finite number: it cannot be compared with ${with_}`;
    }
    return undefined;
}
function evaluateGates(g) {
    const verdicts = [];
    if (g.minF1Score !== undefined) {
        const problem = unusableF1(g.f1, f(g.minF1Score));
        if (problem || g.f1 === undefined) {
            verdicts.push({ gate: 'min-f1-score', passed: false, detail: problem });
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
        const problem = unusableF1(g.f1, 'the baseline');
        const baselineProblem = g.baselineF1 !== undefined && !Number.isFinite(g.baselineF1)
            ? `the baseline's F1 score ${String(g.baselineF1)} is not a finite number: it cannot be compared with`
            : undefined;
        if (problem || g.f1 === undefined) {
            verdicts.push({ gate: 'max-f1-drop', passed: false, detail: problem });
        }
        else if (baselineProblem) {
            verdicts.push({ gate: 'max-f1-drop', passed: false, detail: baselineProblem });
        }
        else if (g.baselineF1 === undefined) {
            verdicts.push(g.firstVersion
                ? {
                    gate: 'max-f1-drop',
                    passed: true,
                    detail: `${g.baselineMissing ?? 'no earlier version with an F1 score'}: nothing to drop from`
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
// EXTERNAL MODULE: ./src/training/versions.ts + 3 modules
var versions = __webpack_require__(4261);
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
async function gatherResults(deps, inputs, versionName, d, scope) {
    const f1 = d.EvaluationResult?.F1Score;
    const current = await readLabels(deps, d, 'this version');
    let baselineInfo;
    let baselineLabels;
    let baselineNote;
    let firstVersion = false;
    if (inputs.baselineVersion) {
        const found = await (0,baseline/* findBaseline */.Xn)(deps.client, inputs.projectArn, inputs.baselineVersion, { name: versionName, createdAt: d.CreationTimestamp }, scope);
        if (found.notice)
            deps.notice(found.notice);
        if (found.warning)
            deps.warning(found.warning);
        baselineNote = found.missing;
        firstVersion = found.firstVersion ?? false;
        if (found.baseline) {
            const b = found.baseline;
            baselineInfo = {
                name: (0,versions/* versionNameOf */.hC)(b.ProjectVersionArn) ?? '?',
                arn: b.ProjectVersionArn ?? '',
                f1: b.EvaluationResult.F1Score,
                reason: found.reason
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
