"use strict";
exports.id = 107;
exports.ids = [107];
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


/***/ })

};
;