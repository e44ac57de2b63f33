import { afterEach, describe, expect, test } from '@jest/globals'
import { type ProjectVersionDescription } from '@aws-sdk/client-rekognition'
import { DescribeProjectVersionsCommand, mockRekognition, testClient } from './rekognition-mock.js'
import { listProjectVersions } from '../../src/training/project-versions.js'
import { PROJECT_ARN } from './helpers.js'

const rekognition = mockRekognition()
afterEach(() => {
  rekognition.reset()
})

const v = (name: string): ProjectVersionDescription => ({
  ProjectVersionArn: `${PROJECT_ARN.replace(/\/\d+$/, '')}/version/${name}/1`,
  Status: 'TRAINING_COMPLETED'
})

describe('listProjectVersions', () => {
  test('de-duplicates by ARN (a version that moved to the next page is counted once)', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce({ ProjectVersionDescriptions: [v('a'), v('b')], NextToken: 't1' })
      .resolvesOnce({ ProjectVersionDescriptions: [v('b'), v('c')] })
    const out = await listProjectVersions(testClient('eu-west-1'), PROJECT_ARN)
    expect(out.versions.map((d) => d.ProjectVersionArn?.split('/')[3])).toEqual(['a', 'b', 'c'])
    expect(out.calls).toBe(2)
    expect(out.cut).toBeUndefined()
  })

  test('a page token that comes back: stops there, with a warning', async () => {
    rekognition
      .on(DescribeProjectVersionsCommand)
      .resolvesOnce({ ProjectVersionDescriptions: [v('a')], NextToken: 't1' })
      .resolvesOnce({ ProjectVersionDescriptions: [v('b')], NextToken: 't2' })
      .resolves({ ProjectVersionDescriptions: [v('a')], NextToken: 't1' })
    const out = await listProjectVersions(testClient('eu-west-1'), PROJECT_ARN)
    expect(out.calls).toBe(3)
    expect(out.versions).toHaveLength(2)
    expect(out.cut).toMatch(/page token "t1" a second time/)
  })

  test('the page cap: stops with a warning', async () => {
    let i = 0
    rekognition
      .on(DescribeProjectVersionsCommand)
      .callsFake(async () => ({ ProjectVersionDescriptions: [v(`v${i}`)], NextToken: `t${++i}` }))
    const out = await listProjectVersions(testClient('eu-west-1'), PROJECT_ARN)
    expect(out.calls).toBe(50)
    expect(out.cut).toMatch(/stops at 50 pages/)
  })
})
