// The emulator's S3 (path style, XML errors, aws-chunked uploads) and GitHub comment endpoints.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { getOctokit } from '@actions/github'
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { Emulator } from '../emulator/server.js'
import { auth, call, credentials } from '../emulator/testing.js'

let emu: Emulator
beforeAll(async () => {
  emu = await Emulator.start()
  emu.addBucket('data')
})
afterAll(async () => {
  await emu.stop()
})

describe('S3', () => {
  const s3 = () =>
    new S3Client({
      endpoint: emu.url,
      region: 'eu-west-1',
      credentials,
      forcePathStyle: true,
      maxAttempts: 1
    })
  const signed = (extra: Record<string, string> = {}) => ({ authorization: auth('s3'), ...extra })

  test('the SDK puts (with its checksum headers) and gets an object; keys are URL-decoded', async () => {
    const key = 'manifests/run 1/données.manifest'
    const put = await s3().send(
      new PutObjectCommand({
        Bucket: 'data',
        Key: key,
        Body: '{"a":1}\n',
        ContentType: 'application/jsonl'
      })
    )
    expect(put.ETag).toBe(`"${createHash('md5').update('{"a":1}\n').digest('hex')}"`)
    expect(emu.getObject('data', key)?.toString()).toBe('{"a":1}\n')
    const record = emu.requestsFor('S3:PutObject').at(-1)
    expect(record).toMatchObject({
      service: 's3',
      method: 'PUT',
      body: '{"a":1}\n',
      region: 'eu-west-1'
    })
    expect(record?.headers['x-amz-checksum-crc32']).toBeDefined()

    const got = await s3().send(
      new GetObjectCommand({ Bucket: 'data', Key: key, VersionId: 'any-version' })
    )
    expect(got.ContentType).toBe('application/jsonl')
    expect(await got.Body?.transformToString()).toBe('{"a":1}\n')
    const head = await s3().send(new HeadObjectCommand({ Bucket: 'data', Key: key }))
    expect(head.ContentLength).toBe(8)
  })

  test('a streamed upload arrives aws-chunked with a trailing checksum and is stored raw', async () => {
    const parts = [Buffer.from('line one\n'), Buffer.from('line two\n')]
    await s3().send(
      new PutObjectCommand({
        Bucket: 'data',
        Key: 'streamed.txt',
        Body: Readable.from(parts),
        ContentLength: 18
      })
    )
    const record = emu.requestsFor('S3:PutObject').at(-1)
    expect(record?.headers['content-encoding']).toBe('aws-chunked')
    expect(record?.headers['x-amz-trailer']).toBe('x-amz-checksum-crc32')
    expect(emu.getObject('data', 'streamed.txt')?.toString()).toBe('line one\nline two\n')
  })

  test('hand-made signed aws-chunked framing with a trailer; integrity headers are checked', async () => {
    const sig = `chunk-signature=${'a'.repeat(64)}`
    const framed = `5;${sig}\r\nhello\r\n6;${sig}\r\n world\r\n0;${sig}\r\nx-amz-checksum-sha256:${createHash('sha256').update('hello world').digest('base64')}\r\n\r\n`
    const headers = signed({
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '11'
    })
    expect((await call(emu, 'PUT', '/data/chunked.txt', { headers, body: framed })).status).toBe(
      200
    )
    expect(emu.getObject('data', 'chunked.txt')?.toString()).toBe('hello world')

    const badTrailer = framed.replace(/sha256:[^\r]+/, 'sha256:AAAA')
    expect((await call(emu, 'PUT', '/data/bad.txt', { headers, body: badTrailer })).text).toContain(
      '<Code>BadDigest</Code>'
    )
    expect(
      (await call(emu, 'PUT', '/data/bad.txt', { headers, body: '5;x\r\nhel' })).text
    ).toContain('<Code>IncompleteBody</Code>')
    const badCrc = await call(emu, 'PUT', '/data/bad.txt', {
      headers: signed({ 'x-amz-checksum-crc32': 'AAAAAA==' }),
      body: 'abc'
    })
    expect([badCrc.status, badCrc.text.includes('<Code>BadDigest</Code>')]).toEqual([400, true])
    const badSha = await call(emu, 'PUT', '/data/bad.txt', {
      headers: signed({ 'x-amz-content-sha256': '0'.repeat(64) }),
      body: 'abc'
    })
    expect(badSha.text).toContain('<Code>XAmzContentSHA256Mismatch</Code>')
    expect(emu.getObject('data', 'bad.txt')).toBeUndefined()
  })

  test('missing keys and buckets, through the SDK and by hand', async () => {
    await expect(
      s3().send(new GetObjectCommand({ Bucket: 'data', Key: 'nope' }))
    ).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } })
    await expect(
      s3().send(new PutObjectCommand({ Bucket: 'no-bucket', Key: 'k', Body: 'x' }))
    ).rejects.toMatchObject({ name: 'NoSuchBucket' })
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: 'data', Key: 'nope' }))
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } })
    const a = await call(emu, 'GET', '/data/dir/missing%20file.json', { headers: signed() })
    expect(a.status).toBe(404)
    expect(a.text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>dir\/missing file.json<\/Key><RequestId>[0-9A-F]+<\/RequestId>/
    )
    expect((await call(emu, 'GET', '/no-bucket/k', { headers: signed() })).text).toContain(
      '<Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>no-bucket</BucketName>'
    )
  })

  test('requests without a SigV4 s3 credential are denied', async () => {
    emu.putObject('data', 'public.txt', 'x')
    for (const headers of [
      {} as Record<string, string>,
      { authorization: auth('rekognition') },
      { authorization: 'Basic abc' }
    ]) {
      const a = await call(emu, 'GET', '/data/public.txt', { headers })
      expect([a.status, a.text.includes('<Code>AccessDenied</Code>')]).toEqual([403, true])
    }
  })

  test('ListObjectsV2 by prefix', async () => {
    emu.putObject('listing', 'a/1.json', '1')
    emu.putObject('listing', 'a/2.json', '22')
    emu.putObject('listing', 'b/3.json', '333')
    const out = await s3().send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a/' }))
    expect(out.Contents?.map((c) => [c.Key, c.Size])).toEqual([
      ['a/1.json', 1],
      ['a/2.json', 2]
    ])
    expect(
      emu
        .objects('listing')
        .map((o) => o.key)
        .sort()
    ).toEqual(['a/1.json', 'a/2.json', 'b/3.json'])
  })
})

describe('GitHub', () => {
  const base = '/repos/acme/widgets/issues'
  const post = (issue: number, body: unknown, headers: Record<string, string> = {}) =>
    call(emu, 'POST', `${base}/${issue}/comments`, {
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body)
    })

  test('create, list, update', async () => {
    const created = await post(1, { body: 'Training started' })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      body: 'Training started',
      html_url: `https://github.com/acme/widgets/pull/1#issuecomment-${created.json.id}`,
      user: { login: 'github-actions[bot]', type: 'Bot' }
    })
    expect(created.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const listed = await call(emu, 'GET', `${base}/1/comments`)
    expect(listed.json.map((c: { id: number }) => c.id)).toEqual([created.json.id])
    const patched = await call(
      emu,
      'PATCH',
      `/repos/acme/widgets/issues/comments/${created.json.id}`,
      { body: JSON.stringify({ body: 'Training done' }) }
    )
    expect([patched.status, patched.json.body]).toEqual([200, 'Training done'])
    expect(emu.comments('acme', 'widgets', 1)).toEqual([
      expect.objectContaining({
        id: created.json.id,
        body: 'Training done',
        user: 'github-actions[bot]'
      })
    ])
    expect(emu.requestsFor('GitHub:UpdateComment').at(-1)).toMatchObject({
      service: 'github',
      method: 'PATCH',
      body: { body: 'Training done' }
    })
  })

  test('pages with a link header', async () => {
    for (let i = 1; i <= 5; i++) emu.addComment('acme', 'widgets', 2, `c${i}`)
    const first = await call(emu, 'GET', `${base}/2/comments?per_page=2`)
    expect(first.json.map((c: { body: string }) => c.body)).toEqual(['c1', 'c2'])
    expect(first.headers.get('link')).toContain(
      `<${emu.url}${base}/2/comments?per_page=2&page=2>; rel="next"`
    )
    const last = await call(emu, 'GET', `${base}/2/comments?per_page=2&page=3`)
    expect(last.json.map((c: { body: string }) => c.body)).toEqual(['c5'])
    expect(last.headers.get('link')).not.toContain('rel="next"')
  })

  test('the Octokit of @actions/github paginates against it', async () => {
    for (let i = 1; i <= 3; i++) emu.addComment('acme', 'widgets', 3, `o${i}`, 'someone')
    const octokit = getOctokit('t0ken', { baseUrl: emu.url })
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: 'acme',
      repo: 'widgets',
      issue_number: 3,
      per_page: 2
    })
    expect(all.map((c) => [c.body, c.user?.login])).toEqual([
      ['o1', 'someone'],
      ['o2', 'someone'],
      ['o3', 'someone']
    ])
    const { data } = await octokit.rest.issues.createComment({
      owner: 'acme',
      repo: 'widgets',
      issue_number: 3,
      body: 'hi'
    })
    expect(data.user?.type).toBe('Bot')
  })

  test('pull requests: the head as set, 404 for one that does not exist', async () => {
    emu.setPullRequest('acme', 'widgets', 5, 'a'.repeat(40), 'data/new')
    const a = await call(emu, 'GET', '/repos/acme/widgets/pulls/5')
    expect(a.status).toBe(200)
    expect(a.json).toMatchObject({
      number: 5,
      state: 'open',
      head: { sha: 'a'.repeat(40), ref: 'data/new', repo: { full_name: 'acme/widgets' } }
    })
    emu.setPullRequest('acme', 'widgets', 5, 'b'.repeat(40))
    expect((await call(emu, 'GET', '/repos/acme/widgets/pulls/5')).json.head.sha).toBe(
      'b'.repeat(40)
    )
    emu.removePullRequest('acme', 'widgets', 5)
    expect((await call(emu, 'GET', '/repos/acme/widgets/pulls/5')).status).toBe(404)
  })

  test('GET /user: refused to an installation token, the login for a personal one', async () => {
    const bot = await call(emu, 'GET', '/user')
    expect([bot.status, bot.json.message]).toEqual([403, 'Resource not accessible by integration'])
    emu.setGitHubIdentity({ login: 'someone', kind: 'user' })
    try {
      expect((await call(emu, 'GET', '/user')).json).toMatchObject({
        login: 'someone',
        type: 'User'
      })
      const c = await post(9, { body: 'by someone' })
      expect(c.json.user).toMatchObject({ login: 'someone', type: 'User' })
    } finally {
      emu.setGitHubIdentity({ login: 'github-actions[bot]', kind: 'installation' })
    }
  })

  test('delete, and bodies over 65,536 characters refused as GitHub does', async () => {
    const created = await post(6, { body: 'x' })
    const gone = await call(emu, 'DELETE', `/repos/acme/widgets/issues/comments/${created.json.id}`)
    expect(gone.status).toBe(204)
    expect(emu.comments('acme', 'widgets', 6)).toHaveLength(0)
    expect(
      (await call(emu, 'DELETE', `/repos/acme/widgets/issues/comments/${created.json.id}`)).status
    ).toBe(404)
    const long = await post(6, { body: 'é'.repeat(65_537) })
    expect(long.status).toBe(422)
    expect(long.json.errors[0].message).toBe('body is too long (maximum is 65536 characters)')
    expect((await post(6, { body: 'é'.repeat(65_536) })).status).toBe(201)
  })

  test('a barrier holds requests until all parties have arrived', async () => {
    emu.barrier('GitHub:ListComments', 2)
    let first = false
    const a = call(emu, 'GET', `${base}/10/comments`).then((r) => ((first = true), r))
    await new Promise((r) => setTimeout(r, 50))
    expect(first).toBe(false)
    const b = call(emu, 'GET', `${base}/10/comments`)
    expect((await a).status).toBe(200)
    expect((await b).status).toBe(200)
  })

  test('errors: unknown routes, unknown comments, missing body, token, read-only token', async () => {
    expect(await call(emu, 'GET', '/repos/acme/widgets/pulls/1')).toMatchObject({
      status: 404,
      json: { message: 'Not Found' }
    })
    expect(
      (
        await call(emu, 'PATCH', '/repos/acme/widgets/issues/comments/999', {
          body: '{"body":"x"}'
        })
      ).status
    ).toBe(404)
    expect((await post(4, { text: 'x' })).status).toBe(422)
    expect((await call(emu, 'POST', `${base}/4/comments`, { body: '{bad' })).status).toBe(400)

    emu.setGitHubToken('secret')
    try {
      expect((await post(4, { body: 'x' })).json.message).toBe('Bad credentials')
      expect((await post(4, { body: 'x' }, { authorization: 'token wrong' })).status).toBe(401)
      expect((await post(4, { body: 'x' }, { authorization: 'token secret' })).status).toBe(201)
      expect((await post(4, { body: 'y' }, { authorization: 'Bearer secret' })).status).toBe(201)
    } finally {
      emu.setGitHubToken(undefined)
    }

    emu.denyGitHubWrites(true)
    try {
      const denied = await post(4, { body: 'z' })
      expect([denied.status, denied.json.message]).toEqual([
        403,
        'Resource not accessible by integration'
      ])
      expect(denied.json.documentation_url).toMatch(/^https:\/\/docs.github.com\//)
      expect((await call(emu, 'GET', `${base}/4/comments`)).status).toBe(200)
    } finally {
      emu.denyGitHubWrites(false)
    }
    expect(emu.comments('acme', 'widgets', 4).map((c) => c.body)).toEqual(['x', 'y'])
  })
})

describe('GitHub commit statuses', () => {
  const SHA = 'abcdef0123456789abcdef0123456789abcdef01'
  const post = (body: unknown, sha = SHA) =>
    call(emu, 'POST', `/repos/acme/widgets/statuses/${sha}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })

  test('create; the combined status holds the latest per context; the list holds every one', async () => {
    const first = await post({
      state: 'pending',
      description: 'v1: training',
      context: 'train-action/p'
    })
    expect(first.status).toBe(201)
    expect(first.json).toMatchObject({
      state: 'pending',
      description: 'v1: training',
      context: 'train-action/p'
    })
    await post({
      state: 'success',
      description: 'v1: F1 0.9',
      context: 'Train-Action/P',
      target_url: 'https://x'
    })
    await post({ state: 'success', context: 'ci' })
    const combined = await call(emu, 'GET', `/repos/acme/widgets/commits/${SHA}/status`)
    expect(combined.status).toBe(200)
    expect(combined.json.state).toBe('success')
    expect(combined.json.total_count).toBe(2)
    expect(
      combined.json.statuses.map((s: { description: string | null }) => s.description)
    ).toEqual([null, 'v1: F1 0.9'])
    const listed = await call(emu, 'GET', `/repos/acme/widgets/commits/${SHA}/statuses`)
    expect(listed.json.map((s: { state: string }) => s.state)).toEqual([
      'success',
      'success',
      'pending'
    ])
    await post({ state: 'failure', context: 'ci' })
    expect((await call(emu, 'GET', `/repos/acme/widgets/commits/${SHA}/status`)).json.state).toBe(
      'failure'
    )
    expect(emu.statuses('acme', 'widgets', SHA)).toHaveLength(4)
  })

  test('validation as GitHub does it: state, 140-character description, known commit; 403 without permission', async () => {
    const badState = await post({ state: 'done' })
    expect([badState.status, badState.json.errors[0].field]).toEqual([422, 'state'])
    const long = await post({ state: 'pending', description: 'x'.repeat(141) })
    expect(long.status).toBe(422)
    expect(long.json.errors[0].message).toBe('description is too long (maximum is 140 characters)')
    expect((await post({ state: 'pending', description: 'x'.repeat(140) })).status).toBe(201)
    expect((await post({ state: 'pending' }, 'nosuchsha')).status).toBe(422)
    expect((await call(emu, 'GET', '/repos/acme/widgets/commits/nosuchsha/status')).status).toBe(
      404
    )
    const empty = await call(emu, 'GET', `/repos/acme/widgets/commits/${'0'.repeat(40)}/status`)
    expect([empty.json.state, empty.json.total_count]).toEqual(['pending', 0])
    emu.denyStatusWrites(true)
    const denied = await post({ state: 'pending' })
    expect([denied.status, denied.json.message]).toEqual([
      403,
      'Resource not accessible by integration'
    ])
    emu.denyStatusWrites(false)
  })
})

test('odd request targets get answers, not crashes', async () => {
  const { request } = await import('node:http')
  const raw = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${emu.url}/`, { method: 'GET', path }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
  expect(await raw('//data/x')).toBe(403)
  expect(await raw('/repos/%zz/%zz/issues/1/comments')).toBe(200)
  expect(await raw('/data/%E0%A4%A')).toBe(403)
  expect(
    (await call(emu, 'GET', '/data/public.txt', { headers: { authorization: auth('s3') } })).status
  ).toBe(200)
})
