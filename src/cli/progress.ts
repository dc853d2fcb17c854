import type { JobView } from '../core/types.js';
import type { Translator } from '../i18n/index.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Shows a job's progress in a terminal: a spinner with elapsed seconds on one rewritten line on a
 * TTY, and one plain line per change when piped, so logs stay readable.
 */
export class TerminalProgress {
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private label: string;
  private lastPlainLabel = '';
  private readonly startedAt = Date.now();

  constructor(
    private readonly output: ProgressOutput,
    private readonly t: Translator,
  ) {
    this.label = t('cli.progress.sending');
    if (output.isTTY) this.timer = setInterval(() => this.render(), 100);
  }

  update(view: JobView): void {
    if (view.kind === 'queued') {
      this.label = view.position
        ? this.t('cli.progress.queuedAt', { position: view.position })
        : this.t('cli.progress.queued');
    } else if (view.kind === 'generating') {
      this.label = this.t('cli.progress.generating');
    }
    this.render();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.output.isTTY) this.output.write('\r\x1b[2K');
  }

  private render(): void {
    const seconds = String(Math.floor((Date.now() - this.startedAt) / 1000));
    const step = this.label;
    if (this.output.isTTY) {
      this.frame = (this.frame + 1) % SPINNER.length;
      this.output.write(
        `\r\x1b[2K${SPINNER[this.frame]} ${this.t('cli.progress.live', { step, seconds })}`,
      );
    } else if (this.label !== this.lastPlainLabel) {
      this.lastPlainLabel = this.label;
      this.output.write(`${this.t('cli.progress.line', { step, seconds })}\n`);
    }
  }
}
