// One manifest per error code the Custom Labels guide documents (test/fixtures/manifests/): each
// is refused by the action before anything is uploaded, with the code annotated on its file and
// line; documented warnings are accepted with a warning; the codes only the service can see are
// listed, and the e2e suite shows them explained after the failed training.
import { describe, expect, test } from '@jest/globals'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseManifestList } from '../../src/inputs/manifest-refs.js'
import { checkRepositoryManifests } from '../../src/datasets/repo-manifests.js'
import { ActionError } from '../../src/errors.js'
import { classificationLine } from '../fixtures/manifest-builders.js'

const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/manifests')

/** Every code of tm-debugging-json-line-errors, tm-debugging-aggregate-errors and the file errors. */
const SERVICE_ONLY: Record<string, string> = {
  // The image's bytes: e2e "only the service can see" (test/e2e/failed-training.test.ts).
  ERROR_INVALID_IMAGE: 'service/ERROR_INVALID_IMAGE.manifest',
  ERROR_INVALID_PERMISSIONS_IMAGES_S3_BUCKET: 'the images bucket policy',
  ERROR_INVALID_IMAGES_S3_BUCKET_OWNER: 'the buckets’ owners',
  ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT: 'the service’s own split',
  ERROR_MANIFEST_TOO_FEW_USABLE_LABELS: 'the use case the service chooses',
  ERROR_FAILED_IMAGES_S3_COPY: 'the images’ permissions and keys',
  ERROR_TOO_MANY_RECORDS_IN_ERROR: 'dataset operations',
  ERROR_INVALID_PERMISSIONS_MANIFEST_S3_BUCKET: 'the manifest bucket policy',
  ERROR_CANNOT_WRITE_OUTPUT_S3_BUCKET: 'the output bucket policy',
  // An S3 manifest the action does not read: e2e (key without an extension).
  ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT: 'an S3 manifest without an extension'
}

/** The code each fixture is refused with, where the action's code differs from the file's. */
const REFUSED_WITH: Record<string, string> = {
  // The service reports the unknown type and then no valid attribute; the action names the cause.
  ERROR_NO_VALID_LABEL_ATTRIBUTES: 'ERROR_UNSUPPORTED_USE_CASE_TYPE'
}

const quiet = () => {
  const annotations: { message: string; file: string; line: number }[] = []
  const warnings: string[] = []
  return {
    annotations,
    warnings,
    log: {
      annotate: (message: string, file: string, line: number) =>
        annotations.push({ message, file, line }),
      warning: (line: string) => warnings.push(line)
    }
  }
}

async function check(workspace: string, training: string, testing = '') {
  const out = quiet()
  let error: unknown
  try {
    await checkRepositoryManifests(
      [
        {
          input: 'training-manifests',
          refs: parseManifestList('training-manifests', training, workspace)
        },
        {
          input: 'testing-manifests',
          refs: parseManifestList('testing-manifests', testing, workspace)
        }
      ],
      workspace,
      out.log
    )
  } catch (err) {
    error = err
  }
  return { ...out, error }
}

const single = readdirSync(path.join(CORPUS, 'errors')).filter((f) =>
  /^[A-Z0-9_]+\.manifest$/.test(f)
)

describe('the corpus covers the documented codes', () => {
  test('every documented error code has a fixture the action refuses, or is service-only', () => {
    const documented = [
      'ERROR_MISSING_SOURCE_REF',
      'ERROR_INVALID_SOURCE_REF_FORMAT',
      'ERROR_NO_LABEL_ATTRIBUTES',
      'ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT',
      'ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT',
      'ERROR_NO_VALID_LABEL_ATTRIBUTES',
      'ERROR_MISSING_BOUNDING_BOX_CONFIDENCE',
      'ERROR_MISSING_CLASS_MAP_ID',
      'ERROR_INVALID_JSON_LINE',
      'ERROR_INVALID_IMAGE',
      'ERROR_INVALID_IMAGE_DIMENSION',
      'ERROR_INVALID_BOUNDING_BOX',
      'ERROR_NO_VALID_ANNOTATIONS',
      'ERROR_BOUNDING_BOX_TOO_SMALL',
      'ERROR_TOO_MANY_BOUNDING_BOXES',
      'ERROR_UNSUPPORTED_USE_CASE_TYPE',
      'ERROR_INVALID_LABEL_NAME_LENGTH',
      'ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST',
      'ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS',
      'ERROR_INVALID_PERMISSIONS_IMAGES_S3_BUCKET',
      'ERROR_INVALID_IMAGES_S3_BUCKET_OWNER',
      'ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT',
      'ERROR_MANIFEST_TOO_FEW_LABELS',
      'ERROR_MANIFEST_TOO_MANY_LABELS',
      'ERROR_INSUFFICIENT_LABEL_OVERLAP',
      'ERROR_MANIFEST_TOO_FEW_USABLE_LABELS',
      'ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP',
      'ERROR_FAILED_IMAGES_S3_COPY',
      'ERROR_TOO_MANY_RECORDS_IN_ERROR',
      'ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT',
      'ERROR_EMPTY_MANIFEST',
      'ERROR_MANIFEST_SIZE_TOO_LARGE',
      'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM',
      'ERROR_INVALID_PERMISSIONS_MANIFEST_S3_BUCKET',
      'ERROR_CANNOT_WRITE_OUTPUT_S3_BUCKET'
    ]
    // A box's own errors are warnings when the line has other boxes (warnings/).
    const fixtures = new Set(
      ['errors', 'warnings'].flatMap((dir) =>
        readdirSync(path.join(CORPUS, dir)).map((f) =>
          f.replace(/(\.train|\.test)?\.manifest$/, '')
        )
      )
    )
    // Checked by the validator's own tests, too large for a file in the repository.
    const generated = new Set([
      'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM',
      'ERROR_MANIFEST_SIZE_TOO_LARGE',
      // A training and a testing file of different formats: rules/07-*.
      'ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP'
    ])
    const missing = documented.filter(
      (c) => !fixtures.has(c) && !(c in SERVICE_ONLY) && !generated.has(c)
    )
    expect(missing).toEqual([])
  })
})

describe('each fixture is refused before upload, its code annotated on its line', () => {
  test.each(single)('%s', async (file) => {
    const code = file.replace(/\.manifest$/, '')
    const r = await check(path.join(CORPUS, 'errors'), file, '')
    expect(r.error).toBeInstanceOf(ActionError)
    expect((r.error as Error).message).toContain('nothing was uploaded or trained')
    const expected = REFUSED_WITH[code] ?? code
    const hit = r.annotations.find((a) => a.message.startsWith(`${expected}: `))
    expect(hit).toMatchObject({ file })
    expect(hit!.line).toBeGreaterThanOrEqual(1)
  })

  test('ERROR_INSUFFICIENT_LABEL_OVERLAP: the training and testing datasets together', async () => {
    const r = await check(
      path.join(CORPUS, 'errors'),
      'ERROR_INSUFFICIENT_LABEL_OVERLAP.train.manifest',
      'ERROR_INSUFFICIENT_LABEL_OVERLAP.test.manifest'
    )
    expect(r.error).toBeInstanceOf(ActionError)
    expect(r.annotations).toEqual([
      {
        file: 'ERROR_INSUFFICIENT_LABEL_OVERLAP.test.manifest',
        line: 1,
        message: expect.stringMatching(
          /^ERROR_INSUFFICIENT_LABEL_OVERLAP: datasets: 1 of the 4 training labels \(25%\) are in the testing dataset; at least 50% must be/
        )
      }
    ])
  })

  test('ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM: generated (250,001 lines, blank ones count)', async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'corpus-'))
    const lines = '\n'.repeat(250_000)
    const valid = (n: number, label: string) =>
      classificationLine(`s3://acme-images/${n}.jpg`, label, { attr: 'c' })
    writeFileSync(path.join(ws, 'big.manifest'), `${lines}${valid(1, 'a')}\n${valid(2, 'b')}\n`)
    const r = await check(ws, 'big.manifest')
    expect(r.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(/^ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM: /)
    ])
  })
})

describe('documented warnings are accepted, with a warning', () => {
  test.each(readdirSync(path.join(CORPUS, 'warnings')))('%s', async (file) => {
    const code = file.replace(/\.manifest$/, '')
    const r = await check(path.join(CORPUS, 'warnings'), file)
    expect(r.error).toBeUndefined()
    expect(r.annotations).toEqual([])
    expect(r.warnings.join('\n')).toContain(`${file} line 3: ${code}: `)
  })
})

/**
 * The rules of the guide this corpus pins down, one case each (test/fixtures/manifests/rules/):
 * a training file, an optional testing file, and what the action does with them.
 */
const RULES: [string, string, string, { refused: string } | { warns: string } | 'accepted'][] = [
  // 1. "The JSON Line is valid, but isn't used for training" (WARNING_NO_ATTRIBUTE_ANNOTATIONS).
  [
    '1 detection line without annotations',
    'warnings/WARNING_NO_ATTRIBUTE_ANNOTATIONS.manifest',
    '',
    { warns: 'WARNING_NO_ATTRIBUTE_ANNOTATIONS' }
  ],
  [
    '1 annotations that are not an array',
    'rules/01-annotations-not-an-array.refused.manifest',
    '',
    { refused: 'ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT' }
  ],
  // 2. "the model is still trained using the other valid bounding boxes".
  [
    '2 one negative box among good ones',
    'warnings/ERROR_INVALID_BOUNDING_BOX.manifest',
    '',
    { warns: 'ERROR_INVALID_BOUNDING_BOX' }
  ],
  [
    '2 no usable box',
    'errors/ERROR_NO_VALID_ANNOTATIONS.manifest',
    '',
    { refused: 'ERROR_NO_VALID_ANNOTATIONS' }
  ],
  // 3. No error for overlapping datasets; a repeated image is removed.
  [
    '3 an image in both datasets',
    'rules/03-image-in-both.train.manifest',
    'rules/03-image-in-both.test.manifest',
    { warns: 'also in the training dataset' }
  ],
  [
    '3 an image twice in a dataset',
    'rules/03-image-twice.accepted.manifest',
    '',
    { warns: 'already listed at line 1' }
  ],
  // 4. "The maximum length is 100,000 characters".
  [
    '4 40,000 CJK characters (120 KB)',
    'rules/04-40000-cjk-characters.accepted.manifest',
    '',
    'accepted'
  ],
  [
    '4 more than 100,000 characters',
    'rules/04-100001-characters.refused.manifest',
    '',
    { refused: 'line: 100' }
  ],
  // 5. Validation manifests are retrained from.
  [
    '5 validation-manifest keys',
    'rules/05-validation-manifest-keys.accepted.manifest',
    '',
    'accepted'
  ],
  [
    '5 another top-level key',
    'rules/05-unknown-top-level-key.refused.manifest',
    '',
    { refused: 'ERROR_NO_LABEL_ATTRIBUTES' }
  ],
  // 6. depth: "a value is required".
  [
    '6 image_size without depth',
    'rules/06-image-size-without-depth.refused.manifest',
    '',
    { refused: 'ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT' }
  ],
  ['6 any depth', 'rules/06-image-size-depth-1.accepted.manifest', '', 'accepted'],
  // 7. One format is trained, the other ignored.
  [
    '7 classification training, detection testing',
    'rules/07-formats.train.manifest',
    'rules/07-formats-detection.test.manifest',
    { refused: 'ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP' }
  ],
  [
    '7 classification on both sides',
    'rules/07-formats.train.manifest',
    'rules/07-formats-classification.test.manifest',
    'accepted'
  ]
]

describe('the rules of the guide, one case each (rules/)', () => {
  test.each(RULES)('%s', async (_, training, testing, expected) => {
    const r = await check(CORPUS, training, testing)
    if (expected !== 'accepted' && 'refused' in expected) {
      expect(r.error).toBeInstanceOf(ActionError)
      expect(r.annotations.map((a) => a.message).join('\n')).toContain(expected.refused)
      return
    }
    expect(r.error).toBeUndefined()
    expect(r.annotations).toEqual([])
    if (expected === 'accepted')
      expect(r.warnings.filter((w) => !/label ".*" has only/.test(w))).toEqual([])
    else expect(r.warnings.join('\n')).toContain(expected.warns)
  })

  test('8 a testing dataset with 1,001 images of a label is refused (generated)', async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'corpus-'))
    const many = (prefix: string, n: number, labels: string[]) =>
      Array.from({ length: n }, (_, i) =>
        classificationLine(`s3://acme-images/${prefix}/${i}.jpg`, labels[i % labels.length], {
          attr: 'c'
        })
      ).join('\n')
    writeFileSync(path.join(ws, 'train.manifest'), many('train', 4, ['a', 'b']))
    writeFileSync(
      path.join(ws, 'test.manifest'),
      `${many('test', 1001, ['a'])}\n${many('t2', 1, ['b'])}`
    )
    const r = await check(ws, 'train.manifest', 'test.manifest')
    expect(r.error).toBeInstanceOf(ActionError)
    expect(r.annotations.map((a) => a.message)).toEqual([
      expect.stringContaining('more than 1000 images: "a" (1001)')
    ])
  })
})

describe('service-only codes pass the action’s checks', () => {
  test('ERROR_INVALID_IMAGE: the manifest is valid; only the image bytes are not', async () => {
    const r = await check(path.join(CORPUS, 'service'), 'ERROR_INVALID_IMAGE.manifest')
    expect(r.error).toBeUndefined()
  })
})
