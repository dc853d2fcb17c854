import type { JobView } from '../core/types.js';

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
  private label = 'sending';
  private lastPlainLabel = '';
  private readonly startedAt = Date.now();

  constructor(private readonly output: ProgressOutput) {
    if (output.isTTY) this.timer = setInterval(() => this.render(), 100);
  }

  update(view: JobView): void {
    if (view.kind === 'queued') {
      this.label = view.position ? `queued at the image API (position ${view.position})` : 'queued';
    } else if (view.kind === 'generating') {
      this.label = 'generating';
    }
    this.render();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.output.isTTY) this.output.write('\r\x1b[2K');
  }

  private render(): void {
    const seconds = Math.floor((Date.now() - this.startedAt) / 1000);
    if (this.output.isTTY) {
      this.frame = (this.frame + 1) % SPINNER.length;
      this.output.write(`\r\x1b[2K${SPINNER[this.frame]} ${this.label}… ${seconds} s`);
    } else if (this.label !== this.lastPlainLabel) {
      this.lastPlainLabel = this.label;
      this.output.write(`${this.label}… (${seconds} s)\n`);
    }
  }
}
