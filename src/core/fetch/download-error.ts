export type DownloadFailure =
  | 'too_large'
  | 'bad_url'
  | 'forbidden_address'
  | 'not_image'
  | 'http_status'
  | 'timeout'
  | 'too_slow'
  | 'network';

const PASSING: ReadonlySet<DownloadFailure> = new Set(['timeout', 'too_slow', 'network']);

export class ImageDownloadError extends Error {
  constructor(
    message: string,
    readonly reason: DownloadFailure,
    /** Worth another try: the same request may succeed in a moment. */
    readonly transient = PASSING.has(reason),
    /**
     * A real image of a declared size, only over the size cap: safe to show by its link. Nothing
     * else is ever linked, so a refused or unreadable URL never reaches a chat.
     */
    readonly linkable = false,
  ) {
    super(message);
    this.name = 'ImageDownloadError';
  }
}
