"use strict";
exports.id = 493;
exports.ids = [493];
exports.modules = {

/***/ 6493:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  explainFailure: () => (/* binding */ explainFailure)
});

// UNUSED EXPORTS: FIRST_LINES, summaryErrorText, summaryErrors

// EXTERNAL MODULE: ./src/aws/explain.ts
var explain = __webpack_require__(7754);
// EXTERNAL MODULE: ./src/aws/s3-uri.ts
var s3_uri = __webpack_require__(2692);
// EXTERNAL MODULE: ./src/datasets/repo-manifests.ts
var repo_manifests = __webpack_require__(4858);
;// CONCATENATED MODULE: ./src/datasets/validation-results.ts
// What the service wrote about a failed training's data, in the shapes the guide documents:
// the manifest summary (tm-debugging-summary.html: `statistics.training` / `statistics.testing`
// and top-level `errors`) and the validation manifests, copies of the datasets with `errors` added
// where a line, a label attribute, its metadata or a box is wrong (tm-debugging-scope-json-line.html;
// the ERROR_UNSUPPORTED_USE_CASE_TYPE example in tm-debugging-json-line-errors.html spells the
// arrays `cl-errors`). Pure.
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v) => (typeof v === 'number' ? v : undefined);
function codedErrors(v) {
    if (!Array.isArray(v))
        return [];
    return v.flatMap((e) => isObject(e) && typeof e.code === 'string'
        ? [{ code: e.code, message: typeof e.message === 'string' ? e.message : '' }]
        : []);
}
function statistics(v) {
    if (!isObject(v))
        return undefined;
    return {
        useCase: typeof v.use_case === 'string' ? v.use_case : undefined,
        total: num(v.total_json_lines),
        valid: num(v.valid_json_lines),
        invalid: num(v.invalid_json_lines),
        ignored: num(v.ignored_json_lines),
        errors: codedErrors(v.errors)
    };
}
/** manifest_summary.json; throws on text that is not a JSON object. */
function parseManifestSummary(text) {
    const v = JSON.parse(text);
    if (!isObject(v))
        throw new Error('the manifest summary is not a JSON object');
    const stats = isObject(v.statistics) ? v.statistics : {};
    return {
        errors: codedErrors(v.errors),
        training: statistics(stats.training),
        testing: statistics(stats.testing)
    };
}
/** Every error a validation-manifest line carries, wherever the guide puts them. */
function lineErrors(text) {
    let v;
    try {
        v = JSON.parse(text);
    }
    catch {
        return [];
    }
    const found = [];
    const visit = (node, depth) => {
        if (depth > 4)
            return;
        if (Array.isArray(node)) {
            for (const item of node)
                visit(item, depth + 1);
            return;
        }
        if (!isObject(node))
            return;
        for (const [key, value] of Object.entries(node)) {
            if (key === 'errors' || key === 'cl-errors')
                found.push(...codedErrors(value));
            else
                visit(value, depth + 1);
        }
    };
    visit(v, 0);
    return found;
}
/** Counts per code and the first lines in error, fed one line at a time. */
class ErrorTally {
    keep;
    counts = new Map();
    first = [];
    lines = 0;
    constructor(keep) {
        this.keep = keep;
    }
    add(text, line) {
        const errors = lineErrors(text);
        if (errors.length === 0)
            return;
        this.lines++;
        for (const e of errors) {
            this.counts.set(e.code, (this.counts.get(e.code) ?? 0) + 1);
            if (this.first.length < this.keep)
                this.first.push({ ...e, line });
        }
    }
}
/** `CODE ×n` pairs, most frequent first. */
function countsText(counts) {
    return [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([code, n]) => `${code} ×${n}`)
        .join(', ');
}

;// CONCATENATED MODULE: ./src/training/failure.ts




/** Lines in error kept (and annotated) per dataset. */
const FIRST_LINES = 20;
/**
 * tm-debugging-aggregate-errors.html, ERROR_MANIFEST_TOO_FEW_USABLE_LABELS: "Check the use_case
 * field in the manifest summary. Add more labels to the training dataset for the use case (image
 * level or object localization) that matches the value of use_case"; for
 * ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP the service "doesn't use valid JSON records for JSON
 * Lines that are not in the chosen model format".
 */
function usableHint(code, useCase) {
    if (!/_USABLE_/.test(code))
        return undefined;
    const chosen = useCase
        ? `the service chose use_case ${useCase}`
        : 'the manifest summary gives no use_case';
    const kind = useCase === 'OBJECT_LOCALIZATION'
        ? 'object-detection (bounding box) lines'
        : useCase === 'IMAGE_LEVEL_LABELS'
            ? 'image-level (classification) lines'
            : 'lines of one format';
    return code === 'ERROR_MANIFEST_TOO_FEW_USABLE_LABELS'
        ? `${chosen}: only ${kind} count; add labels to the training dataset in that format.`
        : `${chosen}: lines of the other format are not used; give the testing dataset ${kind} with the training labels.`;
}
/** The summary's errors, each with its dataset and, for the *_USABLE_* codes, its use_case. */
function summaryErrors(summary) {
    const out = summary.errors.map((e) => ({ ...e }));
    for (const dataset of ['training', 'testing']) {
        const stats = summary[dataset];
        for (const e of stats?.errors ?? []) {
            const hint = usableHint(e.code, stats?.useCase);
            out.push({
                ...e,
                dataset,
                ...(stats?.useCase !== undefined && { useCase: stats.useCase }),
                ...(hint !== undefined && { hint })
            });
        }
    }
    return out;
}
/** One summary error as a line: code, dataset, message, and what to do. */
function summaryErrorText(e) {
    const where = e.dataset ? ` (${e.dataset} data)` : '';
    return `${e.code}${where}: ${e.message}${e.hint ? ` ${e.hint}` : ''}`;
}
function unreadableNote(uri, err) {
    const name = (0,explain/* errorName */.Is)(err);
    const bucket = (0,s3_uri/* splitS3Uri */.D)(uri)?.bucket ?? '?';
    const hint = /AccessDenied|Forbidden/i.test(`${name} ${err?.message ?? ''}`)
        ? `allow s3:GetObject on arn:aws:s3:::${bucket}/* to read it`
        : 'it could not be read';
    return `Could not read ${uri} (${name}): ${hint}.`;
}
async function explainFailure(d, manifests, deps) {
    const summaryUri = (0,s3_uri/* joinS3Uri */.x)(d.ManifestSummary?.S3Object);
    const validation = [
        [
            'training',
            (0,s3_uri/* joinS3Uri */.x)(d.TrainingDataResult?.Validation?.Assets?.[0]?.GroundTruthManifest?.S3Object)
        ],
        [
            'testing',
            (0,s3_uri/* joinS3Uri */.x)(d.TestingDataResult?.Validation?.Assets?.[0]?.GroundTruthManifest?.S3Object)
        ]
    ];
    // tm-terminal-errors-reference.html: terminal manifest file errors write no validation results;
    // then the StatusMessage is all there is.
    if (!summaryUri && validation.every(([, uri]) => !uri))
        return undefined;
    const out = { errors: [], datasets: [], unreadable: [] };
    let summary;
    if (summaryUri) {
        try {
            summary = parseManifestSummary(await deps.readText(summaryUri));
            out.errors.push(...summaryErrors(summary));
        }
        catch (err) {
            out.unreadable.push(err instanceof SyntaxError ? `${summaryUri} is not JSON.` : unreadableNote(summaryUri, err));
        }
    }
    for (const [dataset, uri] of validation) {
        if (!uri)
            continue;
        const tally = new ErrorTally(FIRST_LINES);
        let read = 0;
        try {
            await deps.readLines(uri, (text, line) => {
                read = line;
                tally.add(text, line);
            });
        }
        catch (err) {
            // What was read before the failure (a time bound, a dropped connection) is still told.
            out.unreadable.push(read > 0
                ? `${unreadableNote(uri, err)} Counted from its first ${read} lines.`
                : unreadableNote(uri, err));
            if (read === 0)
                continue;
        }
        const files = manifests.filter((m) => m.dataset === dataset);
        const first = tally.first.map((e) => {
            const repo = files.length > 0 ? (0,repo_manifests/* repositoryLine */.l3)({ files }, e.line) : undefined;
            if (repo)
                deps.annotate(`${e.code}: ${e.message} (the failed training's ${dataset} data)`, repo.file, repo.line);
            return { ...e, where: repo ? `${repo.file}:${repo.line}` : `${uri} line ${e.line}` };
        });
        out.datasets.push({
            dataset,
            statistics: summary?.[dataset],
            counts: [...tally.counts.entries()].sort((a, b) => b[1] - a[1]),
            linesInError: tally.lines,
            first
        });
        if (tally.lines > 0) {
            deps.info(`${dataset} data: ${tally.lines} lines in error: ${countsText(tally.counts)}`);
            for (const f of first)
                deps.info(`  ${f.where}: ${f.code}: ${f.message}`);
        }
    }
    for (const e of out.errors)
        deps.info(`Manifest error: ${summaryErrorText(e)}`);
    for (const note of out.unreadable)
        deps.warning(note);
    return out;
}


/***/ })

};
;