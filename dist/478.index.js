"use strict";
exports.id = 478;
exports.ids = [478,107];
exports.modules = {

/***/ 2107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Xn: () => (/* binding */ findBaseline),
/* harmony export */   autoScope: () => (/* binding */ autoScope)
/* harmony export */ });
/* unused harmony exports MAX_PAGES, MAX_TAG_READS, REF_TAG */
/* harmony import */ var _aws_rekognition_commands_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1715);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3916);
/* harmony import */ var _aws_explain_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7754);
/* harmony import */ var _inputs_tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4480);
/* harmony import */ var _training_newest_first_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(1945);
/* harmony import */ var _training_statuses_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6702);
/* harmony import */ var _training_versions_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6918);







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
async function describe(client, input) {
    try {
        return await client.send(new _aws_rekognition_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .DescribeProjectVersionsCommand */ .rz(input));
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
        .filter((v) => !scope.before || since === undefined || (0,_training_newest_first_js__WEBPACK_IMPORTED_MODULE_6__/* .created */ .z)(v) < since);
    const { versions, truncated } = await newestVersions(client, projectArn, (read) => candidatesOf(read).length >= MAX_TAG_READS);
    const candidates = candidatesOf(versions).sort((a, b) => (0,_training_newest_first_js__WEBPACK_IMPORTED_MODULE_6__/* .created */ .z)(b) - (0,_training_newest_first_js__WEBPACK_IMPORTED_MODULE_6__/* .created */ .z)(a));
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
            const out = await client.send(new _aws_rekognition_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .ListTagsForResourceCommand */ .a_({ ResourceArn: v.ProjectVersionArn }));
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

/***/ 9478:
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
    return evaluationSummaryOf(JSON.parse(text));
}
/** The same, from the summary already parsed (its confusion matrix is read from it too). */
function evaluationSummaryOf(json) {
    const root = obj(json);
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
        return { ...l, f1Delta, baselineF1: b.f1 };
    });
}

// EXTERNAL MODULE: ./src/aws/explain.ts
var explain = __webpack_require__(7754);
;// CONCATENATED MODULE: ./src/results/gates.ts
// The quality gates: min-f1-score and max-f1-drop (the per-label ones: label-gates.ts). Pure.
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

// EXTERNAL MODULE: ./src/results/confusion.ts
var confusion = __webpack_require__(1826);
// EXTERNAL MODULE: ./src/results/label-gates.ts
var label_gates = __webpack_require__(1693);
// EXTERNAL MODULE: ./src/aws/s3-uri.ts
var s3_uri = __webpack_require__(2692);
// EXTERNAL MODULE: ./src/datasets/line-reader.ts
var line_reader = __webpack_require__(4835);
;// CONCATENATED MODULE: ./src/results/snapshot.ts
// The evaluation manifest snapshot: one JSON line per test image with the model's answers, and
// which test images went from right to wrong (and back) against the baseline. Pure, except that it
// reads the lines it is given.
//
// Line shape (Custom Labels developer guide, "Evaluation manifest snapshot",
// im-evaluation-manifest-snapshot-api.md; its location is `TestingDataResult.Output` of
// DescribeProjectVersions, "Accessing the summary file and evaluation manifest snapshot (SDK)",
// im-access-summary-evaluation-manifest.md): SageMaker Ground Truth output format, `source-ref`,
// the ground truth as `<attr>` + `<attr>-metadata` (`class-name` for classification, `class-map`
// with `annotations[].class_id` for detection), and the model's answers as further attributes
// (`rekognition-custom-labels-evaluation-0`, `rekognition-custom-labels-evaluation`) whose metadata
// carries `rekognition-custom-labels-evaluation-details` {is-true-positive, is-true-negative,
// is-false-positive, is-false-negative, ...}: on the metadata itself for classification, on each of
// `objects[]` for detection, with each answer's `confidence` beside it.
//
// An image is "right" when none of its answers is a false positive or a false negative. The guide
// does not define a verdict per image; this is the strict reading (any mistake on it counts).

const DETAILS = 'rekognition-custom-labels-evaluation-details';
const snapshot_obj = (v) => v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
const snapshot_num = (v) => typeof v === 'number' && Number.isFinite(v) ? v : undefined;
function flags(details) {
    return {
        positive: details['is-true-positive'] === true || details['is-false-positive'] === true,
        wrong: details['is-false-positive'] === true || details['is-false-negative'] === true
    };
}
/** Labels of a detection attribute: its boxes' class ids through the metadata's class-map. */
function boxLabels(value, meta) {
    const map = snapshot_obj(meta['class-map']) ?? {};
    const boxes = snapshot_obj(value)?.annotations;
    if (!Array.isArray(boxes))
        return [];
    return boxes.map((b) => {
        const id = snapshot_obj(b)?.class_id;
        const name = map[String(id)];
        return typeof name === 'string' ? name : `class ${String(id)}`;
    });
}
const unique = (xs) => [...new Set(xs)];
/** One snapshot line; undefined when it is not an evaluated image (no source-ref, no answers). */
function parseSnapshotLine(text) {
    let root;
    try {
        root = snapshot_obj(JSON.parse(text));
    }
    catch {
        return undefined;
    }
    const ref = root?.['source-ref'];
    if (!root || typeof ref !== 'string')
        return undefined;
    const truth = [];
    const predicted = [];
    let evaluated = false;
    let wrong = false;
    for (const [key, value] of Object.entries(root)) {
        if (!key.endsWith('-metadata'))
            continue;
        const meta = snapshot_obj(value);
        if (!meta)
            continue;
        const attr = root[key.slice(0, -'-metadata'.length)];
        const details = snapshot_obj(meta[DETAILS]);
        const objects = Array.isArray(meta.objects) ? meta.objects.map(snapshot_obj) : [];
        if (details) {
            // Classification: one answer per attribute.
            evaluated = true;
            const fl = flags(details);
            wrong ||= fl.wrong;
            if (fl.positive && typeof meta['class-name'] === 'string')
                predicted.push({ label: meta['class-name'], confidence: snapshot_num(meta.confidence) });
        }
        else if (objects.some((o) => o && snapshot_obj(o[DETAILS]))) {
            // Object detection: one answer per box, in the order of the annotations.
            evaluated = true;
            const labels = boxLabels(attr, meta);
            objects.forEach((o, i) => {
                const d = o && snapshot_obj(o[DETAILS]);
                if (!d)
                    return;
                const fl = flags(d);
                wrong ||= fl.wrong;
                if (fl.positive)
                    predicted.push({ label: labels[i] ?? '?', confidence: snapshot_num(o.confidence) });
            });
        }
        else if (typeof meta['class-name'] === 'string') {
            truth.push(meta['class-name']);
        }
        else if (snapshot_obj(meta['class-map'])) {
            truth.push(...boxLabels(attr, meta));
        }
    }
    if (!evaluated)
        return undefined;
    return { ref, right: !wrong, truth: unique(truth), predicted };
}
/** A snapshot's lines are at most the size of a manifest's, and a test set at most 250,000
 * images; reading stops well before that: 100,000 images or 128 MiB, whichever comes first. */
const SNAPSHOT_LIMITS = {
    maxLines: 100_000,
    maxBytes: 128 * 1024 * 1024,
    maxLineBytes: 100_000
};
/** Reads the snapshot's bytes line by line until a limit; leaving early ends the source. */
async function readSnapshot(chunks, limits) {
    const out = { images: new Map(), lines: 0, bytes: 0, skipped: 0 };
    const read = { bytes: 0 };
    const lines = (0,line_reader/* splitLines */.uz)(chunks, limits, read);
    for await (const line of lines) {
        if (out.lines >= limits.maxLines) {
            out.cut = `stopped after ${limits.maxLines.toLocaleString('en-US')} lines`;
            break;
        }
        out.lines++;
        if ((0,line_reader/* isLongLine */.XV)(line)) {
            out.skipped++;
            continue;
        }
        if (line.trim() === '')
            continue;
        const image = parseSnapshotLine(line);
        if (image)
            out.images.set(image.ref, image);
        else
            out.skipped++;
    }
    out.bytes = read.bytes;
    if (!out.cut && read.bytes > limits.maxBytes)
        out.cut = `stopped after ${(limits.maxBytes / 1024 / 1024).toLocaleString('en-US')} MiB`;
    return out;
}
/** The test images in both snapshots whose verdict changed, at most `keep` of each kind. */
function diffSnapshots(current, baseline, keep) {
    const out = { worse: [], worseCount: 0, better: [], betterCount: 0, compared: 0 };
    for (const [ref, after] of current) {
        const before = baseline.get(ref);
        if (!before)
            continue;
        out.compared++;
        if (before.right === after.right)
            continue;
        if (after.right) {
            out.betterCount++;
            if (out.better.length < keep)
                out.better.push({ ref, before, after });
        }
        else {
            out.worseCount++;
            if (out.worse.length < keep)
                out.worse.push({ ref, before, after });
        }
    }
    return out;
}

// EXTERNAL MODULE: ./src/datasets/manifest-validator.ts + 6 modules
var manifest_validator = __webpack_require__(8685);
;// CONCATENATED MODULE: ./src/results/source-lines.ts


const boundedFile = (file) => (0,line_reader/* readLines */.Se)(file, { maxLineBytes: manifest_validator/* MAX_LINE_BYTES */.Oc, maxBytes: manifest_validator/* MAX_MANIFEST_BYTES */.ZJ });
/** `file:line` of each wanted source-ref (its first line); refs not found are left out. */
async function locateSources(wanted, manifests, read = boundedFile) {
    const found = new Map();
    const ordered = [
        ...manifests.filter((m) => m.dataset === 'testing'),
        ...manifests.filter((m) => m.dataset !== 'testing')
    ];
    for (const m of ordered) {
        if (found.size === wanted.size)
            break;
        let n = 0;
        for await (const line of read(m.file)) {
            n++;
            if (typeof line !== 'string' || !line.includes('source-ref'))
                continue;
            let ref;
            try {
                ref = JSON.parse(line)['source-ref'];
            }
            catch {
                continue;
            }
            if (typeof ref === 'string' && wanted.has(ref) && !found.has(ref))
                found.set(ref, `${m.relative}:${n}`);
            if (found.size === wanted.size)
                break;
        }
    }
    return found;
}

;// CONCATENATED MODULE: ./src/results/changed-images.ts




/** Flipped images listed of each kind (right to wrong, wrong to right); the rest are counted. */
const FLIPS_SHOWN = 20;
function snapshotUri(d) {
    return (0,s3_uri/* joinS3Uri */.x)(d?.TestingDataResult?.Output?.Assets?.[0]?.GroundTruthManifest?.S3Object);
}
function unreadable(whose, uri, err) {
    const name = (0,explain/* errorName */.Is)(err);
    const bucket = (0,s3_uri/* splitS3Uri */.D)(uri)?.bucket ?? '?';
    const hint = /AccessDenied|Forbidden/i.test(`${name} ${err?.message ?? ''}`)
        ? `allow s3:GetObject on arn:aws:s3:::${bucket}/* to read it`
        : 'it could not be read';
    return `The evaluation manifest snapshot of ${whose} is unavailable (${name}): ${hint}. ${uri}`;
}
const stats = (r) => ({
    lines: r.lines,
    bytes: r.bytes,
    images: r.images.size,
    ...(r.cut && { cut: r.cut })
});
/** The flipped images, or a note saying why there are none to show. */
async function changedImages(deps, current, baseline, baselineName, limits = SNAPSHOT_LIMITS) {
    const read = async (d, whose) => {
        const uri = snapshotUri(d);
        if (!uri)
            return { note: `No evaluation manifest snapshot for ${whose}.` };
        try {
            const r = await readSnapshot(deps.readChunks(uri), limits);
            if (r.images.size === 0)
                return {
                    note: `The evaluation manifest snapshot of ${whose} lists no evaluated images (${r.lines} lines read). ${uri}`
                };
            return { read: r };
        }
        catch (err) {
            return { note: unreadable(whose, uri, err) };
        }
    };
    const now = await read(current, 'this version');
    if (!now.read)
        return { note: now.note };
    const before = await read(baseline, `baseline ${baselineName}`);
    if (!before.read)
        return { note: before.note };
    const flips = diffSnapshots(now.read.images, before.read.images, FLIPS_SHOWN);
    let where = {};
    const listed = new Set([...flips.worse, ...flips.better].map((f) => f.ref));
    if (deps.manifests && deps.manifests.length > 0 && listed.size > 0) {
        try {
            where = Object.fromEntries(await locateSources(listed, deps.manifests, deps.readFile));
        }
        catch {
            // A manifest gone from the workspace: the images are shown by source-ref alone.
        }
    }
    return {
        changed: { ...flips, where, current: stats(now.read), baseline: stats(before.read) }
    };
}

// EXTERNAL MODULE: ./src/training/outcome.ts
var outcome = __webpack_require__(5450);
// EXTERNAL MODULE: ./src/training/versions.ts + 2 modules
var versions = __webpack_require__(6918);
;// CONCATENATED MODULE: ./src/results/results.ts










async function readLabels(deps, d, whose) {
    const uri = (0,outcome/* evaluationSummaryUri */.Xd)(d);
    if (!uri)
        return { note: `No evaluation summary for ${whose}.` };
    try {
        const json = JSON.parse(await deps.readText(uri));
        const labels = evaluationSummaryOf(json).labels;
        // The matrix is optional (classification only): a bad one costs a note, not the labels.
        try {
            return { labels, confusion: (0,confusion/* parseConfusionMatrix */.NW)(json) };
        }
        catch (err) {
            return {
                labels,
                confusionNote: `The confusion matrix of ${whose} is unusable (${err.message}). ${uri}`
            };
        }
    }
    catch (err) {
        const bucket = (0,s3_uri/* splitS3Uri */.D)(uri)?.bucket ?? '?';
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
    let baselineConfusion;
    let changed;
    const notes = [];
    if (current.confusionNote)
        notes.push(current.confusionNote);
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
            if (current.labels) {
                const read = await readLabels(deps, b, `baseline ${baselineInfo.name}`);
                baselineLabels = read.labels;
                baselineConfusion = read.confusion;
                if (read.confusionNote)
                    notes.push(read.confusionNote);
            }
            if (deps.snapshots) {
                const flips = await changedImages(deps.snapshots, d, b, baselineInfo.name);
                changed = flips.changed;
                if (flips.note)
                    notes.push(flips.note);
            }
        }
    }
    for (const note of notes)
        deps.notice(note);
    const gates = evaluateGates({
        f1,
        minF1Score: inputs.minF1Score,
        maxF1Drop: inputs.maxF1Drop,
        baselineF1: baselineInfo?.f1,
        baselineMissing: baselineNote,
        firstVersion
    });
    const labels = current.labels ? compareLabels(current.labels, baselineLabels) : undefined;
    gates.push(...(0,label_gates/* evaluateLabelGates */.KW)({
        labels,
        labelsNote: current.note,
        minLabelF1Score: inputs.minLabelF1Score,
        maxLabelF1Drop: inputs.maxLabelF1Drop,
        baselineFound: baselineInfo !== undefined,
        baselineMissing: baselineNote,
        firstVersion,
        baselineLabelsRead: baselineLabels !== undefined
    }));
    return {
        labels,
        labelsNote: current.note,
        baseline: baselineInfo,
        baselineNote,
        gates,
        confusion: current.confusion,
        baselineConfusion,
        changedImages: changed,
        ...(notes.length > 0 && { evaluationNotes: notes })
    };
}


/***/ })

};
;