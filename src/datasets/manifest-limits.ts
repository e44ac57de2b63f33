// The limits and codes of the Custom Labels developer guide that a manifest is held to, and the
// shapes the validator reports in. Constants and types only.
const GUIDE = 'https://docs.aws.amazon.com/rekognition/latest/customlabels-dg'
/** Pages the limits below come from, for messages and for the next reader. */
export const SOURCES = {
  limits: `${GUIDE}/limits.html`,
  rules: `${GUIDE}/md-create-manifest-file-validation-rules.html`,
  datasetErrors: `${GUIDE}/debugging-datasets-terminal-errors.html`,
  lineErrors: `${GUIDE}/tm-debugging-json-line-errors.html`,
  classification: `${GUIDE}/md-create-manifest-file-classification.html`,
  detection: `${GUIDE}/md-create-manifest-file-object-detection.html`,
  images: `${GUIDE}/md-prepare-images.html`,
  aggregateErrors: `${GUIDE}/tm-debugging-aggregate-errors.html`,
  fileErrors: `${GUIDE}/tm-terminal-errors-reference.html`,
  lineScope: `${GUIDE}/tm-debugging-scope-json-line.html`
} as const

// --- Limits -----------------------------------------------------------------------------------

/**
 * debugging-datasets-terminal-errors.html: "The length of a JSON line is too long. The maximum
 * length is 100,000 characters." Characters, not bytes: a line of 40,000 CJK characters is
 * 120,000 UTF-8 bytes and valid. Counted as Unicode code points, as label names are.
 */
export const MAX_LINE_CHARS = 100_000
/**
 * The most UTF-8 bytes a line within MAX_LINE_CHARS can take (4 per code point): the reader keeps
 * lines up to this size for counting and measures longer ones without keeping them (refused
 * without counting: at 4 bytes a character at most, they hold more than 100,000 characters).
 */
export const MAX_LINE_BYTES = 4 * MAX_LINE_CHARS
/**
 * limits.html and md-create-manifest-file-validation-rules.html: "Maximum dataset manifest file
 * size is 1 GB". Read as 10^9 bytes, the stricter reading of "GB".
 */
export const MAX_MANIFEST_BYTES = 1_000_000_000
/**
 * md-create-manifest-file-validation-rules.html: "Maximum of 250,000 dataset objects as lines in
 * a manifest"; "Blank/invalid lines are also counted as dataset objects". limits.html agrees for
 * detection (250,000) and gives classification a default of 250,000 (500,000 on request).
 */
export const MAX_MANIFEST_LINES = 250_000
/** limits.html: "Maximum number of unique labels per manifest is 250" (both kinds). */
export const MAX_LABELS_PER_MANIFEST = 250
/**
 * limits.html: at least 2 unique labels per classification ("Objects, Scenes, and Concepts")
 * dataset, at least 1 per detection ("Object Location") dataset.
 */
export const MIN_LABELS: Readonly<Record<ManifestKind, number>> = {
  classification: 2,
  detection: 1
}
/** limits.html: "Minimum number of images per label is 1" (training; 0 for testing). */
export const MIN_IMAGES_PER_LABEL = 1
/**
 * The guide gives no per-label recommendation; md-prepare-images.html says "Use at least 10
 * images to train your model". We apply that figure per label, for a warning only.
 */
export const RECOMMENDED_IMAGES_PER_LABEL = 10
/** limits.html, Testing: "Maximum number of images per label is 1000." */
export const MAX_TEST_IMAGES_PER_LABEL = 1000
/**
 * limits.html, Training and Testing: "The limit for Asia Pacific (Mumbai) and Europe (London) AWS
 * Regions is 28,000 images" (training) and "7,000 images" (testing), for both dataset kinds ("You
 * can't request a limit increase"). Regions the page does not list have the 250,000-line limit.
 */
export const REGIONAL_IMAGE_LIMITS: Readonly<
  Record<string, { region: string; training: number; testing: number }>
> = {
  'ap-south-1': { region: 'Asia Pacific (Mumbai)', training: 28_000, testing: 7_000 },
  'eu-west-2': { region: 'Europe (London)', training: 28_000, testing: 7_000 }
}
/** limits.html: "Maximum number of labels per image is 50". */
export const MAX_LABELS_PER_IMAGE = 50
/** limits.html and the validation rules: at most 50 bounding boxes in an image (min 0). */
export const MAX_BOXES_PER_IMAGE = 50
/**
 * tm-debugging-json-line-errors.html, ERROR_BOUNDING_BOX_TOO_SMALL: box height and width "have
 * to be greater than 1 x 1 pixels" after training resizes any image with a side over 1280 px.
 * We read it as each side > 1 px, scaling the longest image side down to 1280.
 */
export const MIN_BOX_SIDE_EXCLUSIVE = 1
export const TRAINING_RESIZE_MAX_SIDE = 1280
/** limits.html: images from 64 x 64 to 4096 x 4096 pixels, aspect ratio at most 20:1. */
export const MIN_IMAGE_SIDE = 64
export const MAX_IMAGE_SIDE = 4096
export const MAX_ASPECT_RATIO = 20
/** limits.html: 15 MB per image file. A manifest cannot show it; recorded for the caller. */
export const MAX_IMAGE_FILE_BYTES = 15 * 1024 * 1024
// limits.html: "Supported file formats are PNG and JPEG image formats". The service reads the
// image's real format (tm-debugging-json-line-errors.html, ERROR_INVALID_IMAGE: "The file
// referenced by source-ref is not a valid image"), not the key's extension, and a manifest cannot
// show the bytes: no rule on the key's extension here (a PNG at `a.img` is valid).
/** tm-debugging-json-line-errors.html, ERROR_INVALID_LABEL_NAME_LENGTH: 256 characters. */
export const MAX_LABEL_NAME_CHARS = 256

// --- API --------------------------------------------------------------------------------------

export type ManifestKind = 'classification' | 'detection'
/**
 * The error codes the guide documents for what a problem is (tm-debugging-json-line-errors.html,
 * tm-debugging-aggregate-errors.html, tm-terminal-errors-reference.html,
 * debugging-datasets-terminal-errors.html). Problems the guide names without a code have none.
 */
export type ManifestCode =
  | 'ERROR_MISSING_SOURCE_REF'
  | 'ERROR_INVALID_SOURCE_REF_FORMAT'
  | 'ERROR_NO_LABEL_ATTRIBUTES'
  | 'ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT'
  | 'ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT'
  | 'ERROR_MISSING_BOUNDING_BOX_CONFIDENCE'
  | 'ERROR_MISSING_CLASS_MAP_ID'
  | 'ERROR_INVALID_JSON_LINE'
  | 'ERROR_INVALID_IMAGE'
  | 'ERROR_INVALID_IMAGE_DIMENSION'
  | 'ERROR_INVALID_BOUNDING_BOX'
  | 'ERROR_NO_VALID_ANNOTATIONS'
  | 'ERROR_BOUNDING_BOX_TOO_SMALL'
  | 'ERROR_TOO_MANY_BOUNDING_BOXES'
  | 'ERROR_UNSUPPORTED_USE_CASE_TYPE'
  | 'ERROR_INVALID_LABEL_NAME_LENGTH'
  | 'ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS'
  | 'ERROR_MANIFEST_TOO_FEW_LABELS'
  | 'ERROR_MANIFEST_TOO_MANY_LABELS'
  | 'ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST'
  | 'ERROR_EMPTY_MANIFEST'
  | 'ERROR_MANIFEST_SIZE_TOO_LARGE'
  | 'ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM'
  | 'ERROR_INSUFFICIENT_LABEL_OVERLAP'
  | 'ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP'
  | 'WARNING_UNANNOTATED_RECORD'
  | 'WARNING_NO_ANNOTATIONS'
  | 'WARNING_NO_ATTRIBUTE_ANNOTATIONS'
export interface ManifestProblem {
  /** 1-based; 0 for a problem of the whole manifest found at the end. */
  line: number
  message: string
  /** The guide's code for it, when the guide gives one. */
  code?: ManifestCode
}
export interface ManifestStats {
  /** Non-empty lines seen. */
  lines: number
  /** Valid image lines (lines with no problem). */
  images: number
  /** Label name -> images (classification) or boxes (detection) carrying it, valid lines only. */
  labels: Record<string, number>
  /** Detection boxes in all. */
  boxes: number
  /** Kinds seen, in order of first appearance. */
  kinds: ManifestKind[]
  /** Label name -> images carrying it (each label once a line), valid lines only. */
  labelImages: Record<string, number>
  /** Per kind, label name -> images whose attribute of that kind carries it. */
  byKind: Partial<Record<ManifestKind, Record<string, number>>>
}
export interface ManifestReport {
  problems: ManifestProblem[]
  /** All problems, even past the cap. */
  problemCount: number
  /**
   * Documented warnings (the service ignores the line, tm-debugging-scope-json-line.html: "count
   * as ignored JSON lines"): reported, never refused. Capped like the problems.
   */
  warnings: ManifestProblem[]
  warningCount: number
  stats: ManifestStats
  /** Lines read, blank ones included (the service counts them too). */
  lineCount: number
  /**
   * Reading stopped at a manifest-wide limit (line count, size): the file is refused, and its
   * stats cover only the lines read, so whole-dataset checks must not count on them.
   */
  cutShort?: true
}
