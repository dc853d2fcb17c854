import type { Fault, ImageApiSimulator, SimulatedTask } from '../fakes/image-api/index.js';

/** Tasks whose prompt contains this stay `waiting` until the test lets them finish. */
export const HELD_MARKER = 'held-open';
/** A prompt containing this fails with the API's content-policy failMsg. */
export const FAIL_MARKER = '[fail]';
const HELD_MS = 60_000;

/**
 * The image API fake as the suite uses it: faults on the next requests, the tasks it was asked
 * for, and tasks held open on demand (so "too many in flight" needs no waiting).
 */
export class ImageApiControls {
  constructor(
    readonly sim: ImageApiSimulator,
    taskMs: number,
  ) {
    sim.setTaskDuration((input) => (input.prompt.includes(HELD_MARKER) ? HELD_MS : taskMs));
  }

  /** The next matching request(s) fail the way the fault says. */
  inject(fault: Fault): void {
    this.sim.inject(fault);
  }

  /** Tasks the API created, oldest first. */
  tasks(): SimulatedTask[] {
    return [...this.sim.tasks.values()];
  }

  /** Tasks created for this interaction (by X-Request-ID). */
  tasksFor(interactionId: string): SimulatedTask[] {
    return this.tasks().filter((task) => task.requestId === interactionId);
  }

  /** The X-Request-ID of every createTask call, refused or not, in order. */
  createRequestIds(): Array<string | undefined> {
    return this.sim.requests
      .filter((request) => request.endpoint === 'createTask')
      .map((request) => request.requestId);
  }

  /** Lets every held task finish successfully now. */
  releaseHeld(): void {
    for (const task of this.tasks()) {
      if (task.input.prompt.includes(HELD_MARKER) && this.sim.taskState(task.taskId) === 'waiting')
        this.sim.finishTask(task.taskId, 'success');
    }
  }

  /** No fault left over for the next test. */
  reset(): void {
    this.releaseHeld();
    this.sim.clearFaults();
  }
}
