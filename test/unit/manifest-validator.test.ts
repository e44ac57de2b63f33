import { describe, expect, test } from '@jest/globals'
import { createReadStream } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import {
  MAX_BOXES_PER_IMAGE,
  MAX_LABELS_PER_IMAGE,
  MAX_LABELS_PER_MANIFEST,
  MAX_LINE_CHARS,
  MAX_MANIFEST_LINES,
  RECOMMENDED_IMAGES_PER_LABEL,
  rareLabels,
  validateLine,
  validateManifest,
  type ManifestStats
} from '../../src/datasets/manifest-validator.js'
import { classificationJson, detectionJson } from '../fixtures/manifest-builders.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/manifests')

// The examples from the Custom Labels guide, as JSON values so the tests can break one field.
// md-create-manifest-file-classification.html ("Image-Level JSON Lines"):
const SUNRISE = {
  'source-ref': 's3://bucket/images/sunrise.png',
  'testdataset-classification_Sunrise': 1,
  'testdataset-classification_Sunrise-metadata': {
    confidence: 1,
    'job-name': 'labeling-job/testdataset-classification_Sunrise',
    'class-name': 'Sunrise',
    'human-annotated': 'yes',
    'creation-date': '2020-03-06T17:46:39.176',
    type: 'groundtruth/image-classification'
  }
}
// Same page, "Adding multiple image-level labels to an image" (its source-ref is a placeholder).
const SPORT = {
  'source-ref': 's3://bucket/images/match.jpg',
  sport0: 0,
  'sport0-metadata': {
    'class-name': 'football',
    confidence: 0.8,
    type: 'groundtruth/image-classification',
    'job-name': 'identify-sport',
    'human-annotated': 'yes',
    'creation-date': '2018-10-18T22:18:13.527256'
  },
  sport1: 1,
  'sport1-metadata': {
    'class-name': 'ball',
    confidence: 0.8,
    type: 'groundtruth/image-classification',
    'job-name': 'identify-sport',
    'human-annotated': 'yes',
    'creation-date': '2018-10-18T22:18:13.527256'
  }
}
// md-create-manifest-file-object-detection.html ("Object bounding Box JSON lines"):
const ECHOS = {
  'source-ref': 's3://custom-labels-bucket/images/IMG_1186.png',
  'bounding-box': {
    image_size: [{ width: 640, height: 480, depth: 3 }],
    annotations: [
      { class_id: 1, top: 251, left: 399, width: 155, height: 101 },
      { class_id: 0, top: 65, left: 86, width: 220, height: 334 }
    ]
  },
  'bounding-box-metadata': {
    objects: [{ confidence: 1 }, { confidence: 1 }],
    'class-map': { '0': 'Echo', '1': 'Echo Dot' },
    type: 'groundtruth/object-detection',
    'human-annotated': 'yes',
    'creation-date': '2013-11-18T02:53:27',
    'job-name': 'my job'
  }
}

type Json = Record<string, unknown>
const clone = <T>(v: T): T => structuredClone(v)
const line = (v: unknown): string => JSON.stringify(v)

/** A copy of `base` with `change` applied to it. */
function variant(base: Json, change: (v: Json) => void): string {
  const copy = clone(base)
  change(copy)
  return line(copy)
}
const meta = (v: Json, key: string): Json => v[key] as Json
const box = (v: Json): Json => v['bounding-box'] as Json
const annotation = (v: Json, i: number): Json => (box(v).annotations as Json[])[i]

/** The problems of one line; every message is a single line that names a field. */
function problemsOf(text: string, lineNumber = 3): string[] {
  const { problems, kind, labels, boxes } = validateLine(text, lineNumber)
  for (const p of problems) expect(p).not.toMatch(/[\n\r\u2028\u2029]/)
  if (problems.length > 0) expect({ kind, labels, boxes }).toEqual({ labels: [], boxes: 0 })
  return problems
}
function expectProblem(text: string, ...fragments: string[]): void {
  const problems = problemsOf(text)
  for (const f of fragments) expect(problems.join(' | ')).toContain(f)
}

const classification = (ref: string, label: string, attr = 'class'): Json =>
  classificationJson(ref, label, { attr })
const detection = (ref: string, labels: string[], imageSize = { width: 640, height: 480 }): Json =>
  detectionJson(
    ref,
    labels.map((_, i) => ({ class_id: i, left: i, top: i, width: 10, height: 10 })),
    { attr: 'bb', imageSize, classMap: Object.fromEntries(labels.map((l, i) => [String(i), l])) }
  )

async function* asAsync(lines: Iterable<string>): AsyncGenerator<string> {
  for (const l of lines) yield l
}

describe('validateLine: the guide examples are valid', () => {
  test('image-level label (Sunrise)', () => {
    expect(validateLine(line(SUNRISE), 1)).toMatchObject({
      problems: [],
      kind: 'classification',
      labels: ['Sunrise'],
      boxes: 0
    })
  })

  test('two image-level labels on one image', () => {
    const r = validateLine(line(SPORT), 1)
    expect(r.problems).toEqual([])
    expect(r.labels.sort()).toEqual(['ball', 'football'])
  })

  test('the same class twice on one image counts one image', () => {
    const twice = variant(SPORT, (v) => {
      meta(v, 'sport1-metadata')['class-name'] = 'football'
    })
    expect(validateLine(twice, 1).labels).toEqual(['football'])
  })

  test('object localization (Echo, Echo Dot): one label per box', () => {
    expect(validateLine(line(ECHOS), 1)).toMatchObject({
      problems: [],
      kind: 'detection',
      labels: ['Echo Dot', 'Echo'],
      boxes: 2
    })
  })

  test('job-name is the only optional metadata', () => {
    const bare = variant(ECHOS, (v) => {
      delete meta(v, 'bounding-box-metadata')['job-name']
    })
    expect(problemsOf(bare)).toEqual([])
    const bareClass = variant(SUNRISE, (v) => {
      delete meta(v, 'testdataset-classification_Sunrise-metadata')['job-name']
    })
    expect(problemsOf(bareClass)).toEqual([])
  })

  test('required metadata left out is refused, with the documented codes', () => {
    const bare = variant(ECHOS, (v) => {
      const m = meta(v, 'bounding-box-metadata')
      for (const k of ['objects', 'human-annotated', 'creation-date']) delete m[k]
    })
    expect(validateLine(bare, 1).codes).toEqual([
      'ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT',
      'ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT',
      'ERROR_MISSING_BOUNDING_BOX_CONFIDENCE'
    ])
    const bareClass = variant(SUNRISE, (v) => {
      delete meta(v, 'testdataset-classification_Sunrise-metadata').confidence
    })
    expect(problemsOf(bareClass)).toEqual([
      'testdataset-classification_Sunrise-metadata.confidence: required, a number from 0 to 1; missing'
    ])
  })

  test('no boxes is valid (the service ignores the line with a warning)', () => {
    const empty = variant(ECHOS, (v) => {
      box(v).annotations = []
      meta(v, 'bounding-box-metadata').objects = []
    })
    expect(validateLine(empty, 1)).toEqual({
      problems: [],
      codes: [],
      warnings: ['bounding-box.annotations: no boxes; the service ignores this line'],
      kind: 'detection',
      labels: [],
      boxes: 0
    })
  })

  test('the key’s extension is not checked: the service reads the real format', () => {
    for (const key of ['a.JPG', 'b.Jpeg', 'c.PNG', 'd/e.f.jpeg', 'a.gif', 'images/a', 'x.png/a']) {
      expect(problemsOf(line(classification(`s3://acme-data/${key}`, 'x')))).toEqual([])
    }
  })

  test('blank lines yield nothing', () => {
    expect(validateLine('   \t', 4)).toEqual({
      problems: [],
      codes: [],
      warnings: [],
      labels: [],
      boxes: 0
    })
  })
})

describe('validateLine: the line itself', () => {
  test.each([
    ['{"source-ref": ', 'line: not valid JSON'],
    ["{'source-ref': 's3://b/k.jpg'}", 'line: not valid JSON'],
    ['[1, 2]', 'line: must be a JSON object, got [1,2]'],
    ['null', 'line: must be a JSON object, got null'],
    ['"s3://acme-data/a.jpg"', 'line: must be a JSON object']
  ])('%s', (text, message) => expectProblem(text, message))

  test(`longer than ${MAX_LINE_CHARS} characters`, () => {
    const long = variant(SUNRISE, (v) => {
      meta(v, 'testdataset-classification_Sunrise-metadata')['job-name'] = 'j'.repeat(
        MAX_LINE_CHARS
      )
    })
    expectProblem(long, `line: ${long.length} characters; one JSON line may hold at most 100000`)
  })

  test('the limit is in characters, not bytes: 40,000 CJK characters (120 KB) are valid', () => {
    const jobName = (n: number): string =>
      variant(SUNRISE, (v) => {
        meta(v, 'testdataset-classification_Sunrise-metadata')['job-name'] = '漢'.repeat(n)
      })
    expect(Buffer.byteLength(jobName(40_000))).toBeGreaterThan(120_000)
    expect(problemsOf(jobName(40_000))).toEqual([])
    expectProblem(jobName(100_000), 'characters; one JSON line may hold at most 100000')
  })

  test('a byte-order mark on the first line is named', () => {
    expect(problemsOf('\uFEFF' + line(SUNRISE), 1)).toEqual([
      'line: starts with a byte-order mark; save the manifest as UTF-8 without BOM'
    ])
    expect(problemsOf('\uFEFF' + line(SUNRISE), 2)[0]).toContain('line: not valid JSON')
  })

  test('every problem of a line is reported', () => {
    const bad = variant(ECHOS, (v) => {
      v['source-ref'] = 'https://example.com/a.gif'
      annotation(v, 0).left = -1
      annotation(v, 1).class_id = 7
      meta(v, 'bounding-box-metadata')['human-annotated'] = 'maybe'
    })
    expect(problemsOf(bad)).toEqual([
      'source-ref: "https://example.com/a.gif" must be s3://bucket/key',
      'bounding-box-metadata.human-annotated: required, "yes" or "no"; got "maybe"',
      'bounding-box.annotations[1].class_id: 7 has no entry in bounding-box-metadata.class-map',
      'bounding-box.annotations: no usable box (ERROR_INVALID_BOUNDING_BOX: bounding-box.annotations[0].left: must be 0 or more, got -1)'
    ])
  })
})

describe('validateLine: source-ref', () => {
  const withRef = (ref: unknown): string =>
    variant(SUNRISE, (v) => {
      v['source-ref'] = ref
    })

  test('missing', () => {
    const missing = variant(SUNRISE, (v) => {
      delete v['source-ref']
    })
    expectProblem(missing, 'source-ref: missing; each line needs "source-ref": "s3://bucket/key"')
  })

  test.each([
    [42, 'source-ref: must be a string "s3://bucket/key", got 42'],
    ['https://bucket/a.png', 'source-ref: "https://bucket/a.png" must be s3://bucket/key'],
    ['S3://bucket/a.png', 'must be s3://bucket/key'],
    ['s3://bucket', 'source-ref: "s3://bucket" must be s3://bucket/key'],
    ['s3://bucket/', 'source-ref: key is empty'],
    ['s3://a/x.png', 'source-ref: bucket "a" is too short (1 chars); must match'],
    ['s3://bad bucket/x.png', 'source-ref: bucket "bad bucket" has characters outside'],
    [`s3://b/${'k'.repeat(1021)}.png`, 'source-ref: key is too long (1025 chars)']
  ])('%s', (ref, message) => expectProblem(withRef(ref), message))
})

describe('validateLine: label attributes', () => {
  test('an attribute without its -metadata', () => {
    const orphan = variant(SUNRISE, (v) => {
      v['extra'] = 3
    })
    expect(problemsOf(orphan)).toEqual(['extra: label attribute has no "-metadata" object'])
  })

  test('a key with a line break stays on one line', () => {
    const odd = variant(SUNRISE, (v) => {
      v['bad\nkey'] = 1
    })
    expect(problemsOf(odd)).toEqual(['"bad\\nkey": label attribute has no "-metadata" object'])
  })

  test('a -metadata without its attribute', () => {
    const orphan = variant(SUNRISE, (v) => {
      delete v['testdataset-classification_Sunrise']
    })
    expect(problemsOf(orphan)).toEqual([
      'testdataset-classification_Sunrise-metadata: metadata has no "testdataset-classification_Sunrise" attribute',
      'line: no label attribute; expected an attribute X with an "X-metadata" object'
    ])
  })

  test('no label at all: a documented warning (WARNING_UNANNOTATED_RECORD), not a refusal', () => {
    const r = validateLine(line({ 'source-ref': 's3://bucket/a.png' }), 1)
    expect(r.problems).toEqual([])
    expect(r.warnings).toEqual(['line: no label; the service ignores this image'])
  })

  test('metadata that is not an object', () => {
    expectProblem(
      line({ 'source-ref': 's3://bucket/a.png', c: 0, 'c-metadata': 'Sunrise' }),
      'c-metadata: must be an object, got "Sunrise"'
    )
  })

  test('missing and unknown type', () => {
    const setType = (type: unknown): string =>
      variant(SUNRISE, (v) => {
        const m = meta(v, 'testdataset-classification_Sunrise-metadata')
        if (type === undefined) delete m.type
        else m.type = type
      })
    expectProblem(
      setType(undefined),
      'testdataset-classification_Sunrise-metadata.type: missing; must be "groundtruth/image-classification" or "groundtruth/object-detection"'
    )
    expectProblem(
      setType('groundtruth/semantic-segmentation'),
      'type: unknown type "groundtruth/semantic-segmentation"; must be'
    )
  })

  test(`more than ${MAX_LABELS_PER_IMAGE} labels on one image`, () => {
    const many: Json = { 'source-ref': 's3://bucket/a.png' }
    for (let i = 0; i <= MAX_LABELS_PER_IMAGE; i++) {
      Object.assign(many, classification('', `label-${i}`, `attr${i}`))
    }
    many['source-ref'] = 's3://bucket/a.png'
    expect(problemsOf(line(many))).toEqual(['line: 51 labels; at most 50 per image'])
  })
})

describe('validateLine: classification', () => {
  const META = 'testdataset-classification_Sunrise-metadata'
  const withValue = (value: unknown): string =>
    variant(SUNRISE, (v) => {
      v['testdataset-classification_Sunrise'] = value
    })
  const withMeta = (key: string, value: unknown): string =>
    variant(SUNRISE, (v) => {
      const m = meta(v, META)
      if (value === undefined) delete m[key]
      else m[key] = value
    })

  test.each([1.5, '0', null, { id: 0 }])('class value %p', (value) => {
    expectProblem(
      withValue(value),
      'testdataset-classification_Sunrise: must be an integer (any value), got'
    )
  })

  test.each([-1, 0, 7, 123456])('class value %p: "can be any integer value"', (value) => {
    expect(problemsOf(withValue(value))).toEqual([])
  })

  test.each([
    ['class-name', undefined, `${META}.class-name: must be a string, got undefined`],
    ['class-name', '', `${META}.class-name: must be a non-empty label name`],
    ['class-name', '   ', `${META}.class-name: must be a non-empty label name`],
    ['class-name', 7, `${META}.class-name: must be a string, got 7`],
    ['class-name', 'x'.repeat(257), `${META}.class-name: is 257 characters; at most 256`],
    ['confidence', 1.5, `${META}.confidence: required, a number from 0 to 1; got 1.5`],
    ['confidence', -0.1, `${META}.confidence: required, a number from 0 to 1; got -0.1`],
    ['confidence', '0.9', `${META}.confidence: required, a number from 0 to 1; got "0.9"`],
    ['confidence', undefined, `${META}.confidence: required, a number from 0 to 1; missing`],
    ['human-annotated', true, `${META}.human-annotated: required, "yes" or "no"; got true`],
    ['human-annotated', undefined, `${META}.human-annotated: required, "yes" or "no"; missing`],
    [
      'creation-date',
      20200306,
      `${META}.creation-date: required, the UTC date and time; got 20200306`
    ],
    ['creation-date', undefined, `${META}.creation-date: required, the UTC date and time; missing`],
    ['job-name', ['a'], `${META}.job-name: must be a string, got ["a"]`]
  ])('%s = %p', (key, value, message) => {
    expect(problemsOf(withMeta(key, value))).toEqual([message])
  })

  test('a 256-character label name is fine', () => {
    expect(problemsOf(withMeta('class-name', 'x'.repeat(256)))).toEqual([])
  })
})

describe('validateLine: object detection', () => {
  const edit = (change: (v: Json) => void): string => variant(ECHOS, change)
  const sizeOf = (v: Json): Json => (box(v).image_size as Json[])[0]

  test('the attribute must be an object', () => {
    expectProblem(
      edit((v) => {
        v['bounding-box'] = 3
      }),
      'bounding-box: must be an object {image_size, annotations}, got 3'
    )
  })

  test.each([
    ['missing', undefined],
    ['empty', []],
    [
      'two sizes',
      [
        { width: 640, height: 480, depth: 3 },
        { width: 640, height: 480, depth: 3 }
      ]
    ],
    ['not an object', [640]]
  ])('image_size %s', (_name, size) => {
    expectProblem(
      edit((v) => {
        box(v).image_size = size
      }),
      'bounding-box.image_size: must be an array of one {width, height, depth} object'
    )
  })

  test.each([
    ['width', 0, 'bounding-box.image_size[0].width: must be a positive integer, got 0'],
    ['height', -480, 'bounding-box.image_size[0].height: must be a positive integer, got -480'],
    ['width', 640.5, 'bounding-box.image_size[0].width: must be a positive integer, got 640.5'],
    ['width', 5000, 'bounding-box.image_size[0].width: 5000 px is outside 64-4096 px'],
    ['height', 32, 'bounding-box.image_size[0].height: 32 px is outside 64-4096 px']
  ])('image_size %s = %p', (side, value, message) => {
    expectProblem(
      edit((v) => {
        if (value === undefined) delete sizeOf(v)[side]
        else sizeOf(v)[side] = value
      }),
      message
    )
  })

  test('depth is not used, but a value is required: any number, not none', () => {
    expect(problemsOf(edit((v) => void (sizeOf(v).depth = 1)))).toEqual([])
    expect(problemsOf(edit((v) => void (sizeOf(v).depth = 2)))).toEqual([])
    expect(
      validateLine(
        edit((v) => void delete sizeOf(v).depth),
        3
      ).codes
    ).toEqual(['ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT'])
    expectProblem(
      edit((v) => void delete sizeOf(v).depth),
      'bounding-box.image_size[0].depth: required (not used, but a value is required); missing'
    )
  })

  test('aspect ratio over 20:1', () => {
    const wide = detection('s3://bucket/a.png', ['a'], { width: 4096, height: 200 })
    expect(problemsOf(line(wide))).toEqual(['bb.image_size[0]: aspect ratio 4096x200 exceeds 20:1'])
  })

  test('annotations must be an array; missing, the line is ignored with a warning', () => {
    expectProblem(
      edit((v) => {
        box(v).annotations = {}
      }),
      'bounding-box.annotations: must be an array of boxes, got {}'
    )
    const none = validateLine(
      edit((v) => {
        delete box(v).annotations
        meta(v, 'bounding-box-metadata').objects = []
      }),
      3
    )
    expect(none).toMatchObject({ problems: [], labels: [], boxes: 0 })
    expect(none.warnings).toEqual([
      'bounding-box.annotations: missing; the service ignores this attribute'
    ])
  })

  test.each([
    ['class_id', -1, 'bounding-box.annotations[0].class_id: -1 has no entry in'],
    ['class_id', '1', 'bounding-box.annotations[0].class_id: must be an integer, got "1"'],
    ['top', '2', 'bounding-box.annotations[0].top: required, a number of pixels; got "2"'],
    ['height', undefined, 'bounding-box.annotations[0].height: required, a number of pixels']
  ])('box %s = %p', (key, value, message) => {
    expectProblem(
      edit((v) => {
        if (value === undefined) delete annotation(v, 0)[key]
        else annotation(v, 0)[key] = value
      }),
      message
    )
  })

  test('a box that is not an object', () => {
    expectProblem(
      edit((v) => {
        ;(box(v).annotations as unknown[])[1] = [1, 2, 3, 4]
      }),
      'bounding-box.annotations[1]: must be an object {class_id, left, top, width, height}'
    )
  })

  test.each([
    ['left', -1, 'bounding-box.annotations[0].left: must be 0 or more, got -1'],
    ['width', 0, 'bounding-box.annotations[0]: box 0x101 is too small'],
    ['height', -3, 'bounding-box.annotations[0].height: must be 0 or more, got -3']
  ])(
    'one bad box among good ones (%s = %p): a warning, the line trains on the others',
    (key, value, message) => {
      const text = edit((v) => void (annotation(v, 0)[key] = value))
      const r = validateLine(text, 3)
      expect(r).toMatchObject({ problems: [], labels: ['Echo'], boxes: 1 })
      expect(r.warnings.join(' | ')).toContain(message)
    }
  )

  test('no usable box: ERROR_NO_VALID_ANNOTATIONS', () => {
    const text = edit((v) => {
      annotation(v, 0).left = -1
      annotation(v, 1).width = 0
    })
    const r = validateLine(text, 3)
    expect(r.codes).toEqual(['ERROR_NO_VALID_ANNOTATIONS'])
    expect(r.problems[0]).toContain('ERROR_INVALID_BOUNDING_BOX: bounding-box.annotations[0].left')
    expect(r.problems[0]).toContain('ERROR_BOUNDING_BOX_TOO_SMALL: bounding-box.annotations[1]')
  })

  test('a box off the right and bottom edges', () => {
    const off = edit((v) => {
      Object.assign(annotation(v, 0), { left: 500, width: 141, top: 380, height: 101 })
    })
    expect(validateLine(off, 3).warnings).toEqual([
      'bounding-box.annotations[0]: left + width = 641 exceeds the image width 640; the service trains on the other boxes',
      'bounding-box.annotations[0]: top + height = 481 exceeds the image height 480; the service trains on the other boxes'
    ])
  })

  test('a box touching the edges is inside', () => {
    const edge = edit((v) => {
      Object.assign(annotation(v, 0), { left: 0, top: 0, width: 640, height: 480 })
    })
    expect(problemsOf(edge)).toEqual([])
  })

  test('boxes too small (1 px, or 1 px after the 1280 px resize)', () => {
    const tiny = edit((v) => {
      Object.assign(annotation(v, 0), { width: 1, height: 1 })
      Object.assign(annotation(v, 1), { width: 2, height: 2 })
    })
    expect(validateLine(tiny, 3).warnings).toEqual([
      'bounding-box.annotations[0]: box 1x1 is too small; each side must exceed 1 px after training scales the image to 1280 px; the service trains on the other boxes'
    ])
    const big = detection('s3://bucket/a.png', ['a', 'b'], { width: 4096, height: 4096 })
    const boxes = (big.bb as Json).annotations as Json[]
    Object.assign(boxes[0], { width: 3, height: 40 }) // 3 px -> 0.94 px at 1280
    Object.assign(boxes[1], { width: 4, height: 4 }) // 4 px -> 1.25 px
    expect(validateLine(line(big), 3).warnings).toEqual([
      'bb.annotations[0]: box 3x40 is too small; each side must exceed 1 px after training scales the image to 1280 px; the service trains on the other boxes'
    ])
  })

  test(`more than ${MAX_BOXES_PER_IMAGE} boxes`, () => {
    const labels = (n: number): string[] => Array.from({ length: n }, (_, i) => `l${i % 5}`)
    expect(problemsOf(line(detection('s3://bucket/a.png', labels(50))))).toEqual([])
    expect(problemsOf(line(detection('s3://bucket/a.png', labels(51))))).toEqual([
      'bb.annotations: 51 boxes; at most 50 per image'
    ])
  })

  test('class-map missing, or with a bad name', () => {
    expectProblem(
      edit((v) => {
        delete meta(v, 'bounding-box-metadata')['class-map']
      }),
      'bounding-box-metadata.class-map: required, an object of class_id -> label name'
    )
    expect(
      problemsOf(
        edit((v) => {
          meta(v, 'bounding-box-metadata')['class-map'] = { '0': 'Echo', '1': '' }
        })
      )
    ).toEqual(['bounding-box-metadata.class-map["1"]: must be a non-empty label name'])
  })

  test('a class_id missing from class-map', () => {
    expect(
      problemsOf(
        edit((v) => {
          meta(v, 'bounding-box-metadata')['class-map'] = { '0': 'Echo' }
        })
      )
    ).toEqual([
      'bounding-box.annotations[0].class_id: 1 has no entry in bounding-box-metadata.class-map'
    ])
  })

  test('objects: not an array, wrong count, missing confidence', () => {
    const objects = (value: unknown): string =>
      edit((v) => {
        meta(v, 'bounding-box-metadata').objects = value
      })
    expect(problemsOf(objects({ confidence: 1 }))).toEqual([
      'bounding-box-metadata.objects: required, one {confidence} per annotation; got {"confidence":1}'
    ])
    expect(problemsOf(objects([{ confidence: 1 }]))).toEqual([
      'bounding-box-metadata.objects: 1 entries for 2 annotations; one {confidence} each'
    ])
    expect(problemsOf(objects([{ confidence: 1 }, {}]))).toEqual([
      'bounding-box-metadata.objects[1].confidence: required, a number; got undefined'
    ])
    const missing = validateLine(objects(undefined), 1)
    expect(missing.problems).toEqual([
      'bounding-box-metadata.objects: required, one {confidence} per annotation; missing'
    ])
    expect(missing.codes).toEqual(['ERROR_MISSING_BOUNDING_BOX_CONFIDENCE'])
  })

  test('metadata type and attribute shape disagree', () => {
    const swapped = edit((v) => {
      meta(v, 'bounding-box-metadata').type = 'groundtruth/image-classification'
    })
    expectProblem(
      swapped,
      'bounding-box: must be an integer (any value), got {"image_size"',
      'bounding-box-metadata.class-name: must be a string, got undefined'
    )
  })
})

describe('validateManifest', () => {
  test('the guide examples, streamed from a file by readline', async () => {
    const input = createReadStream(path.join(FIXTURES, 'guide-examples.manifest'))
    const lines = createInterface({ input, crlfDelay: Infinity })
    const report = await validateManifest(lines)
    expect(report).toEqual({
      problems: [],
      problemCount: 0,
      warnings: [],
      warningCount: 0,
      lineCount: 3,
      stats: {
        lines: 2,
        images: 2,
        labels: { 'Echo Dot': 2, Echo: 1 },
        labelImages: { 'Echo Dot': 2, Echo: 1 },
        byKind: { classification: { 'Echo Dot': 1 }, detection: { 'Echo Dot': 1, Echo: 1 } },
        boxes: 2,
        kinds: ['classification', 'detection']
      }
    })
  })

  test('stats: images per class label, boxes per detection label; blank lines skipped', async () => {
    const lines = [
      line(classification('s3://bucket/1.jpg', 'cat')),
      '',
      line(classification('s3://bucket/2.jpg', 'dog')),
      '   ',
      line(detection('s3://bucket/3.jpg', ['cat', 'cat', 'mouse'])),
      line(classification('s3://bucket/4.jpg', 'cat'))
    ]
    const report = await validateManifest(lines)
    expect(report.problems).toEqual([])
    expect(report.stats).toEqual({
      lines: 4,
      images: 4,
      labels: { cat: 4, dog: 1, mouse: 1 },
      labelImages: { cat: 3, dog: 1, mouse: 1 },
      byKind: { classification: { cat: 2, dog: 1 }, detection: { cat: 1, mouse: 1 } },
      boxes: 3,
      kinds: ['classification', 'detection']
    })
  })

  test('problems carry 1-based line numbers that count blank lines; bad lines add no stats', async () => {
    const report = await validateManifest(
      asAsync([
        line(classification('s3://bucket/1.jpg', 'cat')),
        '',
        '{oops',
        line(classification('s3://bucket/2.jpg', 'dog')),
        line(detection('https://bucket/3.jpg', ['bird']))
      ])
    )
    expect(report.problems).toEqual([
      {
        line: 3,
        message: expect.stringContaining('line: not valid JSON'),
        code: 'ERROR_INVALID_JSON_LINE'
      },
      {
        line: 5,
        message: 'source-ref: "https://bucket/3.jpg" must be s3://bucket/key',
        code: 'ERROR_INVALID_SOURCE_REF_FORMAT'
      }
    ])
    expect(report.stats).toMatchObject({
      lines: 4,
      images: 2,
      labels: { cat: 1, dog: 1 },
      boxes: 0
    })
  })

  test('the problem cap keeps the first problems and counts them all', async () => {
    const lines = [
      line(classification('s3://bucket/a.jpg', 'cat')),
      line(classification('s3://bucket/b.jpg', 'dog')),
      ...Array.from({ length: 300 }, () => 'not json')
    ]
    const capped = await validateManifest(lines, { maxProblems: 10 })
    expect(capped.problems).toHaveLength(10)
    expect(capped.problemCount).toBe(300)
    expect(capped.problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const byDefault = await validateManifest(lines)
    expect(byDefault.problems).toHaveLength(100)
    expect(byDefault.problemCount).toBe(300)
    const none = await validateManifest(lines, { maxProblems: 0 })
    expect(none.problems).toEqual([])
    expect(none.problemCount).toBe(300)
  })

  test('empty manifests', async () => {
    const message = 'manifest: empty; at least one image line is required'
    const code = 'ERROR_EMPTY_MANIFEST'
    expect((await validateManifest([])).problems).toEqual([{ line: 0, message, code }])
    expect((await validateManifest(['', '  '])).problems).toEqual([{ line: 0, message, code }])
    expect((await validateManifest(['x'])).problems[1]).toEqual({
      line: 0,
      message: 'manifest: none of its 1 line is valid; at least one is required',
      code: 'ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST'
    })
  })

  test('too few labels: classification needs 2, detection 1', async () => {
    const one = await validateManifest([line(classification('s3://bucket/a.jpg', 'cat'))])
    expect(one.problems).toEqual([
      {
        line: 0,
        message: 'manifest: 1 distinct label; a classification manifest needs at least 2',
        code: 'ERROR_MANIFEST_TOO_FEW_LABELS'
      }
    ])
    const boxes = await validateManifest([line(detection('s3://bucket/a.jpg', ['cat']))])
    expect(boxes.problems).toEqual([])
  })

  test(`more than ${MAX_LABELS_PER_MANIFEST} labels: reported once, where the limit is crossed`, async () => {
    const lines = Array.from({ length: 260 }, (_, i) =>
      line(classification(`s3://bucket/${i}.png`, `label-${i}`))
    )
    const report = await validateManifest(lines)
    expect(report.problems).toEqual([
      {
        line: 251,
        message: 'manifest: label "label-250" is label 251; at most 250 per manifest',
        code: 'ERROR_MANIFEST_TOO_MANY_LABELS'
      }
    ])
    expect(Object.keys(report.stats.labels)).toHaveLength(260)
  })

  test('all images in one bucket', async () => {
    const report = await validateManifest([
      line(classification('s3://bucket-a/1.jpg', 'cat')),
      line(classification('s3://bucket-a/2.jpg', 'dog')),
      line(classification('s3://bucket-b/3.jpg', 'dog'))
    ])
    expect(report.problems).toEqual([
      {
        line: 3,
        message:
          'source-ref: bucket "bucket-b" differs from "bucket-a" (line 1); all images of a dataset must be in one bucket',
        code: 'ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS'
      }
    ])
    expect(report.stats.images).toBe(2)
  })

  test('an image listed twice', async () => {
    const report = await validateManifest([
      line(classification('s3://bucket/1.jpg', 'cat')),
      line(classification('s3://bucket/2.jpg', 'dog')),
      line(classification('s3://bucket/1.jpg', 'dog', 'other'))
    ])
    expect(report.problems).toEqual([])
    expect(report.warnings).toEqual([
      {
        line: 3,
        message:
          'source-ref: image already listed at line 1; the service removes the repeat (list each image once in a dataset)'
      }
    ])
    expect(report.stats.images).toBe(2)
  })

  test(`more than ${MAX_MANIFEST_LINES} lines, blank ones included`, async () => {
    function* lines(): Generator<string> {
      for (let i = 0; i < MAX_MANIFEST_LINES - 1; i++) yield ''
      yield line(classification('s3://bucket/a.jpg', 'cat'))
      yield line(classification('s3://bucket/b.jpg', 'dog'))
      yield line(classification('s3://bucket/c.jpg', 'cow'))
      yield '' // a trailing blank line is no dataset object
    }
    const report = await validateManifest(lines())
    expect(report.problems).toEqual([
      {
        line: MAX_MANIFEST_LINES + 1,
        message: 'manifest: more than 250000 lines (blank and invalid lines count)',
        code: 'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM'
      }
    ])
    expect(report.problemCount).toBe(1)
  })

  test('odd label names stay labels', async () => {
    const report = await validateManifest([
      line(classification('s3://bucket/1.jpg', '__proto__')),
      line(classification('s3://bucket/2.jpg', 'constructor'))
    ])
    expect(report.problems).toEqual([])
    expect(Object.entries(report.stats.labels)).toEqual([
      ['__proto__', 1],
      ['constructor', 1]
    ])
  })

  test('streams a generated 250,000-line manifest with bounded memory', async () => {
    const total = MAX_MANIFEST_LINES
    // Templates keep the generator cheap, so the timing below is mostly the validator's.
    const [classHead, classTail] = line(classification('@REF@', '@LABEL@')).split('@REF@')
    const [boxHead, boxTail] = line(detection('@REF@', ['@LABEL@', 'part'])).split('@REF@')
    async function* generate(): AsyncGenerator<string> {
      for (let i = 0; i < total; i++) {
        const ref = `s3://acme-data/images/${i}.jpg`
        const tail = (i % 2 === 0 ? classTail : boxTail).replace('@LABEL@', `label-${i % 10}`)
        yield (i % 2 === 0 ? classHead : boxHead) + ref + tail
      }
    }
    global.gc?.()
    const heapBefore = process.memoryUsage().heapUsed
    const started = performance.now()
    const report = await validateManifest(generate())
    const seconds = (performance.now() - started) / 1000
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore
    console.log(
      `250k lines in ${seconds.toFixed(2)} s, heap +${(heapGrowth / 2 ** 20).toFixed(0)} MiB`
    )

    expect(report.problemCount).toBe(0)
    expect(report.stats.lines).toBe(total)
    expect(report.stats.images).toBe(total)
    expect(report.stats.boxes).toBe(total) // 2 boxes on every other line
    expect(report.stats.kinds).toEqual(['classification', 'detection'])
    const expected: Record<string, number> = { part: total / 2 }
    for (let l = 0; l < 10; l++) expected[`label-${l}`] = total / 10
    expect(report.stats.labels).toEqual(expected)
    // No bound on the time here (the machine is shared): BENCHMARKS.md has the measured figures.
    // The only per-line state is the source-ref index (~60 bytes a line here).
    expect(heapGrowth).toBeLessThan(150 * 2 ** 20)
  })
})

describe('rareLabels', () => {
  const stats = (labels: Record<string, number>): ManifestStats => ({
    lines: 0,
    images: 0,
    labels,
    labelImages: labels,
    byKind: {},
    boxes: 0,
    kinds: []
  })

  test(`labels under ${RECOMMENDED_IMAGES_PER_LABEL} images, rarest first`, () => {
    expect(rareLabels(stats({ cat: 120, dog: 9, cow: 1, ant: 9, bee: 10 }))).toEqual([
      { label: 'cow', count: 1 },
      { label: 'ant', count: 9 },
      { label: 'dog', count: 9 }
    ])
  })

  test('none', () => {
    expect(rareLabels(stats({}))).toEqual([])
    expect(rareLabels(stats({ cat: 10 }))).toEqual([])
  })
})
