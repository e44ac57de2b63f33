// DescribeProjectVersions pages and their documented order. botocore's
// rekognition/2016-06-27/service-2.json, DescribeProjectVersionsResponse.ProjectVersionDescriptions:
// "A list of project version descriptions. The list is sorted by the creation date and time of
// the project versions, latest to earliest." Readers still sort what they read by
// CreationTimestamp, and stop reading pages only while the pages keep that order. Pure.
import type { ProjectVersionDescription } from '@aws-sdk/client-rekognition'

/** A version's creation time in ms; 0 when the service gave none. */
export const created = (v: ProjectVersionDescription): number => v.CreationTimestamp?.getTime() ?? 0

/** Whether the pages read so far keep the documented order, page after page. */
export class PageOrder {
  private oldest = Number.POSITIVE_INFINITY
  private held = true

  /** Records the next page; a version newer than one of an earlier page breaks the order. */
  add(page: readonly ProjectVersionDescription[]): void {
    for (const v of page) {
      if (created(v) > this.oldest) this.held = false
    }
    for (const v of page) this.oldest = Math.min(this.oldest, created(v))
  }

  /**
   * True while every page held only versions older than those of the pages before it: the pages
   * not read yet (older still) cannot hold one of the newest versions seen so far.
   */
  get holds(): boolean {
    return this.held
  }
}
