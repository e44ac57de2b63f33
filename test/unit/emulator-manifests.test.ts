// The emulator reads the manifests it trains on as the guide documents (test/emulator/manifest-rules.ts).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { Emulator } from '../emulator/server.js'
import {
  checkDataset,
  checkLine,
  overlapError,
  usableOverlapError
} from '../emulator/manifest-rules.js'
import { Store } from '../emulator/store.js'
import { auth, call } from '../emulator/testing.js'

const store = new Store()
store.addBucket('images')
store.putObject('images', 'ok.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
store.putObject('images', 'ok.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))
store.putObject('images', 'fake.png', Buffer.from('GIF89a'))

const meta = {
  'class-name': 'dent',
  confidence: 1,
  type: 'groundtruth/image-classification',
  'human-annotated': 'yes',
  'creation-date': '2026-11-01T00:00:00'
}
const cls = (ref: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ 'source-ref': ref, c: 0, 'c-metadata': { ...meta, ...extra } })
const det = (boxes: unknown[], objects: unknown[] = boxes.map(() => ({ confidence: 1 }))) =>
  JSON.stringify({
    'source-ref': 's3://elsewhere/a.jpg',
    bb: { image_size: [{ width: 640, height: 480, depth: 3 }], annotations: boxes },
    'bb-metadata': {
      objects,
      'class-map': { '0': 'dent' },
      type: 'groundtruth/object-detection',
      'human-annotated': 'yes',
      'creation-date': '2026-11-01T00:00:00'
    }
  })
const codes = (text: string) => checkLine(store, text).errors.map((e) => e.code)
const BOX = { class_id: 0, left: 10, top: 10, width: 50, height: 40 }

describe('JSON lines (tm-debugging-json-line-errors.html)', () => {
  test.each([
    ['not json', 'ERROR_INVALID_JSON_LINE'],
    [JSON.stringify({ c: 0, 'c-metadata': meta }), 'ERROR_MISSING_SOURCE_REF'],
    [cls('https://images/ok.png'), 'ERROR_INVALID_SOURCE_REF_FORMAT'],
    [JSON.stringify({ 'source-ref': 's3://x/a.jpg', c: 0 }), 'ERROR_NO_LABEL_ATTRIBUTES'],
    [cls('s3://x/a.jpg', { confidence: 2 }), 'ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT'],
    [cls('s3://x/a.jpg', { 'class-name': 'x'.repeat(257) }), 'ERROR_INVALID_LABEL_NAME_LENGTH'],
    [cls('s3://x/a.jpg', { type: 'groundtruth/wrongtype' }), 'ERROR_UNSUPPORTED_USE_CASE_TYPE'],
    [cls('s3://images/fake.png'), 'ERROR_INVALID_IMAGE'],
    [cls('s3://images/missing.png'), 'ERROR_INVALID_IMAGE'],
    [det([BOX], []), 'ERROR_MISSING_BOUNDING_BOX_CONFIDENCE'],
    [det([{ ...BOX, class_id: 4 }]), 'ERROR_MISSING_CLASS_MAP_ID'],
    [det([{ ...BOX, left: 620 }]), 'ERROR_NO_VALID_ANNOTATIONS'],
    [det([{ ...BOX, width: 1, height: 1 }]), 'ERROR_NO_VALID_ANNOTATIONS'],
    [
      det([{ ...BOX, width: 1, height: 1 }]).replace('"depth":3', '"x":3'),
      'ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT'
    ],
    [det(Array.from({ length: 51 }, () => BOX)), 'ERROR_TOO_MANY_BOUNDING_BOXES']
  ])('%s', (text, code) => {
    expect(codes(text)).toContain(code)
  })

  test('one bad box among good ones: the box carries the error, the line trains', () => {
    for (const bad of [
      { ...BOX, left: -1 },
      { ...BOX, width: 1, height: 1 }
    ]) {
      const r = checkLine(store, det([bad, BOX]))
      expect(r.errors).toEqual([])
      expect(r.labels).toEqual(['dent'])
      const boxes = (r.copy.bb as Record<string, unknown>).annotations as { errors?: unknown[] }[]
      expect(boxes[0].errors).toHaveLength(1)
      expect(boxes[1].errors).toBeUndefined()
    }
  })

  test('no annotations: WARNING_NO_ATTRIBUTE_ANNOTATIONS, the line is ignored', () => {
    const line = JSON.parse(det([])) as Record<string, Record<string, unknown>>
    delete line.bb.annotations
    const r = checkLine(store, JSON.stringify(line))
    expect(r).toMatchObject({ errors: [], ignored: true, labels: [] })
  })

  test('validation-manifest keys at the top of a line are no label attributes', () => {
    const line = JSON.parse(cls('s3://x/a.jpg')) as Record<string, unknown>
    Object.assign(line, {
      errors: [],
      warnings: [],
      'cl-metadata': { is_labeled: true },
      'cl-errors': []
    })
    expect(checkLine(store, JSON.stringify(line)).errors).toEqual([])
  })

  test('classification training, detection testing: ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP', () => {
    const train = checkDataset(
      store,
      [cls('s3://x/1.jpg'), cls('s3://x/2.jpg', { 'class-name': 'scratch' })].join('\n')
    )
    const test = checkDataset(store, det([BOX]))
    expect(overlapError(train, test)).toBeUndefined() // 1 of 2 labels: 50%
    const sameLabels = checkDataset(
      store,
      [
        det([BOX]),
        det([{ ...BOX, class_id: 1 }]).replace('"0":"dent"', '"0":"dent","1":"scratch"')
      ].join('\n')
    )
    expect(overlapError(train, sameLabels)).toBeUndefined()
    expect(usableOverlapError(train, sameLabels)?.code).toBe(
      'ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP'
    )
    const classes = checkDataset(store, cls('s3://x/3.jpg'))
    expect(usableOverlapError(train, classes)).toBeUndefined()
  })

  test('real images and images in buckets the emulator does not hold are valid', () => {
    expect(codes(cls('s3://images/ok.png'))).toEqual([])
    expect(codes(cls('s3://images/ok.jpg'))).toEqual([])
    expect(codes(cls('s3://elsewhere/x.gif'))).toEqual([])
  })

  test('warnings: the line is ignored, not invalid', () => {
    expect(checkLine(store, JSON.stringify({ 'source-ref': 's3://x/a.jpg' }))).toMatchObject({
      errors: [],
      ignored: true
    })
    expect(checkLine(store, det([]))).toMatchObject({ errors: [], ignored: true })
  })

  test('box errors sit in the box, metadata errors in the metadata', () => {
    const copy = checkLine(store, det([{ ...BOX, left: 620 }])).copy as {
      bb: { annotations: { errors?: unknown[] }[] }
      errors?: unknown
    }
    expect(copy.bb.annotations[0].errors).toEqual([
      { code: 'ERROR_INVALID_BOUNDING_BOX', message: 'The bounding box has off frame values.' }
    ])
    expect(copy.errors).toBeUndefined()
  })
})

describe('datasets (tm-debugging-aggregate-errors.html)', () => {
  const two = [cls('s3://x/1.jpg'), cls('s3://x/2.jpg', { 'class-name': 'scratch' })]
  test('over 20% invalid rows, several buckets, too few labels', () => {
    const bad = checkDataset(store, [...two, 'oops', 'oops'].join('\n'))
    expect(bad.errors.map((e) => e.code)).toEqual(['ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST'])
    expect(bad.statistics).toMatchObject({
      total_json_lines: 4,
      valid_json_lines: 2,
      invalid_json_lines: 2,
      error_json_line_indices: [3, 4]
    })
    const buckets = checkDataset(store, [...two, cls('s3://y/3.jpg')].join('\n'))
    expect(buckets.errors.map((e) => e.code)).toEqual(['ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS'])
    const one = checkDataset(store, cls('s3://x/1.jpg'))
    expect(one.errors.map((e) => e.code)).toEqual(['ERROR_MANIFEST_TOO_FEW_LABELS'])
  })

  test('label overlap under 50%', () => {
    const train = checkDataset(store, two.join('\n'))
    const test = checkDataset(
      store,
      [
        cls('s3://x/5.jpg', { 'class-name': 'rust' }),
        cls('s3://x/6.jpg', { 'class-name': 'chip' })
      ].join('\n')
    )
    expect(overlapError(train, test)?.code).toBe('ERROR_INSUFFICIENT_LABEL_OVERLAP')
    expect(overlapError(train, train)).toBeUndefined()
  })
})

describe('S3 GetBucketLocation', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await Emulator.start()
    emu.addBucket('in-us', 'us-east-1')
    emu.addBucket('in-tokyo', 'ap-northeast-1')
    emu.addBucket('anywhere')
  })
  afterAll(() => emu.stop())
  const location = async (bucket: string) =>
    (await call(emu, 'GET', `/${bucket}?location`, { headers: { authorization: auth('s3') } })).text

  test('names the bucket’s region (empty for us-east-1); a bucket without one answers the region asked', async () => {
    expect(await location('in-us')).toMatch(/<LocationConstraint[^>]*><\/LocationConstraint>/)
    expect(await location('in-tokyo')).toContain('>ap-northeast-1</LocationConstraint>')
    expect(await location('anywhere')).toContain('>eu-west-1</LocationConstraint>')
  })

  test('across an opt-in region: IllegalLocationConstraintException, as S3 answers', async () => {
    emu.addBucket('in-cape-town', 'af-south-1')
    const r = await call(emu, 'GET', '/in-cape-town?location', {
      headers: { authorization: auth('s3') }
    })
    expect(r.status).toBe(400)
    expect(r.text).toContain('<Code>IllegalLocationConstraintException</Code>')
    expect(r.text).toContain('The af-south-1 location constraint is incompatible')
  })

  test('HeadBucket names the region in x-amz-bucket-region: 200 here, 301 elsewhere, 400 across an opt-in region', async () => {
    emu.addBucket('in-cape-town', 'af-south-1')
    const head = (bucket: string) =>
      call(emu, 'HEAD', `/${bucket}`, { headers: { authorization: auth('s3') } })
    const here = await head('anywhere')
    expect([here.status, here.headers.get('x-amz-bucket-region')]).toEqual([200, 'eu-west-1'])
    const tokyo = await head('in-tokyo')
    expect([tokyo.status, tokyo.headers.get('x-amz-bucket-region')]).toEqual([
      301,
      'ap-northeast-1'
    ])
    const cape = await head('in-cape-town')
    expect([cape.status, cape.headers.get('x-amz-bucket-region')]).toEqual([400, 'af-south-1'])
  })
})
