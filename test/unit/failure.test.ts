import { describe, expect, test } from '@jest/globals'
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import {
  ErrorTally,
  countsText,
  lineErrors,
  parseManifestSummary
} from '../../src/datasets/validation-results.js'
import type { CheckedManifest } from '../../src/datasets/repo-manifests.js'
import { repositoryLine } from '../../src/datasets/repo-manifests.js'
import { explainFailure, FIRST_LINES, type FailureDeps } from '../../src/training/failure.js'
import { failureSection } from '../../src/reporting/report.js'

// tm-debugging-summary.html, "Example manifest summary" (the index list shortened).
const GUIDE_SUMMARY = JSON.stringify({
  errors: [],
  statistics: {
    training: {
      use_case: 'NOT_DETERMINED',
      total_json_lines: 301,
      valid_json_lines: 146,
      invalid_json_lines: 155,
      ignored_json_lines: 0,
      errors: [
        {
          code: 'ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST',
          message: 'The manifest file contains too many invalid rows.'
        }
      ],
      error_json_line_indices: [15, 16, 17]
    },
    testing: {
      use_case: 'NOT_DETERMINED',
      total_json_lines: 15,
      valid_json_lines: 13,
      invalid_json_lines: 2,
      ignored_json_lines: 0,
      errors: [],
      error_json_line_indices: [13, 15]
    }
  }
})

// tm-debugging-scope-json-line.html, "Example JSON line error" (one line).
const GUIDE_BOX_LINE = JSON.stringify({
  'source-ref': 's3://bucket/Manifests/images/199940-1791.jpg',
  'bounding-box': {
    image_size: [{ width: 3000, height: 3000, depth: 3 }],
    annotations: [
      {
        class_id: 1,
        top: 0,
        left: 0,
        width: 1,
        height: 1,
        errors: [
          {
            code: 'ERROR_BOUNDING_BOX_TOO_SMALL',
            message: 'The height and width of the bounding box is too small.'
          }
        ]
      }
    ]
  },
  'bounding-box-metadata': { objects: [{ confidence: 1 }], 'class-map': { '1': 'Echo Dot' } }
})
// tm-debugging-json-line-errors.html, ERROR_UNSUPPORTED_USE_CASE_TYPE: `cl-errors` arrays.
const GUIDE_CL_ERRORS_LINE = JSON.stringify({
  'source-ref': 's3://bucket/test_normal_8.jpg',
  'BB-metadata': {
    type: 'groundtruth/wrongtype',
    'cl-errors': [{ code: 'ERROR_UNSUPPORTED_USE_CASE_TYPE', message: 'unsupported' }]
  },
  'cl-errors': [
    { code: 'ERROR_NO_VALID_LABEL_ATTRIBUTES', message: 'No valid label attributes found.' }
  ]
})

describe('the documented shapes', () => {
  test('the guide’s manifest summary', () => {
    const s = parseManifestSummary(GUIDE_SUMMARY)
    expect(s.errors).toEqual([])
    expect(s.training).toEqual({
      useCase: 'NOT_DETERMINED',
      total: 301,
      valid: 146,
      invalid: 155,
      ignored: 0,
      errors: [
        {
          code: 'ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST',
          message: 'The manifest file contains too many invalid rows.'
        }
      ]
    })
    expect(s.testing?.invalid).toBe(2)
    expect(() => parseManifestSummary('[]')).toThrow(/not a JSON object/)
  })

  test('errors wherever a validation line carries them', () => {
    expect(lineErrors(GUIDE_BOX_LINE).map((e) => e.code)).toEqual(['ERROR_BOUNDING_BOX_TOO_SMALL'])
    expect(
      lineErrors(GUIDE_CL_ERRORS_LINE)
        .map((e) => e.code)
        .sort()
    ).toEqual(['ERROR_NO_VALID_LABEL_ATTRIBUTES', 'ERROR_UNSUPPORTED_USE_CASE_TYPE'])
    expect(lineErrors('{"source-ref": "s3://b/k.jpg"}')).toEqual([])
    expect(lineErrors('not json')).toEqual([])
  })

  test('a tally keeps counts and the first lines', () => {
    const t = new ErrorTally(1)
    t.add(GUIDE_BOX_LINE, 4)
    t.add('{}', 5)
    t.add(GUIDE_CL_ERRORS_LINE, 6)
    expect(t.lines).toBe(2)
    expect(t.first).toHaveLength(1)
    expect(countsText(t.counts)).toBe(
      'ERROR_BOUNDING_BOX_TOO_SMALL ×1, ERROR_NO_VALID_LABEL_ATTRIBUTES ×1, ERROR_UNSUPPORTED_USE_CASE_TYPE ×1'
    )
  })
})

const checked = (
  relative: string,
  lineCount: number,
  dataset: 'training' | 'testing' = 'training'
) => ({ relative, dataset, report: { lineCount } }) as unknown as CheckedManifest

describe('repositoryLine', () => {
  test('maps a combined manifest’s line back to its file', () => {
    const files = [checked('a.manifest', 3), checked('b.manifest', 2)]
    expect(repositoryLine({ files }, 1)).toEqual({ file: 'a.manifest', line: 1 })
    expect(repositoryLine({ files }, 3)).toEqual({ file: 'a.manifest', line: 3 })
    expect(repositoryLine({ files }, 4)).toEqual({ file: 'b.manifest', line: 1 })
    expect(repositoryLine({ files }, 6)).toBeUndefined()
  })
})

const FAILED: ProjectVersionDescription = {
  ProjectVersionArn: 'arn:v',
  Status: 'TRAINING_FAILED',
  ManifestSummary: { S3Object: { Bucket: 'out', Name: 'v/manifest_summary.json' } },
  TrainingDataResult: {
    Validation: {
      Assets: [
        {
          GroundTruthManifest: {
            S3Object: { Bucket: 'out', Name: 'v/training_manifest_with_validation.json' }
          }
        }
      ]
    }
  },
  TestingDataResult: {
    Validation: {
      Assets: [
        {
          GroundTruthManifest: {
            S3Object: { Bucket: 'out', Name: 'v/testing_manifest_with_validation.json' }
          }
        }
      ]
    }
  }
}

function deps(files: Record<string, string | Error>) {
  const out = {
    annotations: [] as { message: string; file: string; line: number }[],
    infos: [] as string[],
    warnings: [] as string[]
  }
  const get = (uri: string) => {
    const v = files[uri]
    if (v === undefined) throw Object.assign(new Error('no'), { name: 'NoSuchKey' })
    if (v instanceof Error) throw v
    return v
  }
  const d: FailureDeps = {
    readText: async (uri) => get(uri),
    readLines: async (uri, onLine) => {
      get(uri)
        .split('\n')
        .forEach((l, i) => onLine(l, i + 1))
    },
    annotate: (message, file, line) => out.annotations.push({ message, file, line }),
    info: (l) => out.infos.push(l),
    warning: (l) => out.warnings.push(l)
  }
  return { d, out }
}

describe('explainFailure', () => {
  test('codes, counts and first lines; repository lines annotated, S3 ones named', async () => {
    const train = ['{}', GUIDE_BOX_LINE, GUIDE_CL_ERRORS_LINE].join('\n')
    const { d, out } = deps({
      's3://out/v/manifest_summary.json': GUIDE_SUMMARY,
      's3://out/v/training_manifest_with_validation.json': train,
      's3://out/v/testing_manifest_with_validation.json': GUIDE_BOX_LINE
    })
    const f = await explainFailure(FAILED, [checked('data/train.manifest', 3)], d)
    expect(f?.errors.map((e) => e.code)).toEqual(['ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST'])
    expect(f?.datasets.map((x) => [x.dataset, x.linesInError])).toEqual([
      ['training', 2],
      ['testing', 1]
    ])
    expect(out.annotations.map((a) => [a.file, a.line])).toEqual([
      ['data/train.manifest', 2],
      ['data/train.manifest', 3],
      ['data/train.manifest', 3]
    ])
    expect(f?.datasets[1].first[0].where).toBe(
      's3://out/v/testing_manifest_with_validation.json line 1'
    )
    const md = failureSection(f)!
    expect(md).toContain('### Why training failed')
    expect(md).toContain('| training | 301 | 146 | 155 |')
    expect(md).toContain('`data/train.manifest:2`: `ERROR_BOUNDING_BOX_TOO_SMALL`')
    expect(out.warnings).toEqual([])
  })

  test(`at most ${FIRST_LINES} lines per dataset`, async () => {
    const many = Array.from({ length: 30 }, () => GUIDE_BOX_LINE).join('\n')
    const { d } = deps({ 's3://out/v/training_manifest_with_validation.json': many })
    const f = await explainFailure(
      { ...FAILED, ManifestSummary: undefined, TestingDataResult: undefined },
      [],
      d
    )
    expect(f?.datasets[0].first).toHaveLength(FIRST_LINES)
    expect(f?.datasets[0].counts).toEqual([['ERROR_BOUNDING_BOX_TOO_SMALL', 30]])
  })

  test('a reading cut short still reports the lines read', async () => {
    const { d, out } = deps({})
    d.readLines = async (_uri, onLine) => {
      onLine(GUIDE_BOX_LINE, 1)
      onLine('{}', 2)
      throw new DOMException('no answer within 60000 ms', 'TimeoutError')
    }
    const f = await explainFailure(
      { ...FAILED, ManifestSummary: undefined, TestingDataResult: undefined },
      [],
      d
    )
    expect(f?.datasets[0].counts).toEqual([['ERROR_BOUNDING_BOX_TOO_SMALL', 1]])
    expect(out.warnings).toEqual([
      'Could not read s3://out/v/training_manifest_with_validation.json (TimeoutError): it could not be read. Counted from its first 2 lines.'
    ])
  })

  test('nothing written (a manifest file error): no explanation', async () => {
    const { d } = deps({})
    expect(await explainFailure({ Status: 'TRAINING_FAILED' }, [], d)).toBeUndefined()
  })

  test('unreadable files: one warning each, naming s3:GetObject; never a throw', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' })
    const { d, out } = deps({
      's3://out/v/manifest_summary.json': 'not json',
      's3://out/v/training_manifest_with_validation.json': denied
    })
    const f = await explainFailure(FAILED, [], d)
    expect(out.warnings).toEqual([
      's3://out/v/manifest_summary.json is not JSON.',
      'Could not read s3://out/v/training_manifest_with_validation.json (AccessDenied): allow s3:GetObject on arn:aws:s3:::out/* to read it.',
      'Could not read s3://out/v/testing_manifest_with_validation.json (NoSuchKey): it could not be read.'
    ])
    expect(failureSection(f)).toContain('> ⚠️ Could not read')
  })
})

describe('summary errors name their dataset, and the use_case for *_USABLE_* codes', () => {
  const summary = (useCase: string, code: string) =>
    JSON.stringify({
      errors: [],
      statistics: {
        training: { use_case: useCase, errors: [] },
        testing: {
          use_case: useCase,
          errors: [{ code, message: 'Less than 50% usable label overlap.' }]
        }
      }
    })

  test('ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP in the testing data, use_case IMAGE_LEVEL_LABELS', async () => {
    const { d, out } = deps({
      's3://out/v/manifest_summary.json': summary(
        'IMAGE_LEVEL_LABELS',
        'ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP'
      ),
      's3://out/v/training_manifest_with_validation.json': '{}',
      's3://out/v/testing_manifest_with_validation.json': '{}'
    })
    const f = await explainFailure(FAILED, [], d)
    expect(f?.errors).toEqual([
      expect.objectContaining({
        code: 'ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP',
        dataset: 'testing',
        useCase: 'IMAGE_LEVEL_LABELS'
      })
    ])
    const line = out.infos.find((l) => l.startsWith('Manifest error:'))!
    expect(line).toContain('ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP (testing data):')
    expect(line).toContain('the service chose use_case IMAGE_LEVEL_LABELS')
    const md = failureSection(f)!
    expect(md).toContain('`ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP` (testing data):')
    expect(md).toContain('use&#95;case IMAGE&#95;LEVEL&#95;LABELS') // escaped Markdown
  })

  test('a code without _USABLE_ gets its dataset and no use_case hint', async () => {
    const { d, out } = deps({
      's3://out/v/manifest_summary.json': summary('NOT_DETERMINED', 'ERROR_MANIFEST_TOO_FEW_LABELS')
    })
    await explainFailure(
      { ...FAILED, TrainingDataResult: undefined, TestingDataResult: undefined },
      [],
      d
    )
    const line = out.infos.find((l) => l.startsWith('Manifest error:'))!
    expect(line).toBe(
      'Manifest error: ERROR_MANIFEST_TOO_FEW_LABELS (testing data): Less than 50% usable label overlap.'
    )
  })
})
