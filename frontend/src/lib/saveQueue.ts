/**
 * Autosave with an offline queue. Every change of an answer is written to localStorage first
 * (the latest per question wins), then sent; a change made offline stays queued and is sent when
 * the connection returns, so nothing a learner answered is lost — not even across a reload.
 * A save is an idempotent PUT, so sending one twice is harmless.
 */

export interface PendingSave {
  answer: unknown;
  flagged: boolean;
  seconds_spent?: number;
}

export type SaveState = "saved" | "saving" | "offline" | "error";

export type SendOutcome =
  | { ok: true; remaining?: number | null }
  | { ok: false; retry: boolean; message: string };

export type Send = (position: number, save: PendingSave) => Promise<SendOutcome>;

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class SaveQueue {
  private sending = false;
  private listeners = new Set<(state: SaveState, detail?: string) => void>();
  state: SaveState = "saved";
  lastError = "";

  constructor(
    private readonly attemptId: string,
    private readonly send: Send,
    private readonly storage: StorageLike = window.localStorage,
  ) {}

  private get key(): string {
    return `mlaexam.pending.${this.attemptId}`;
  }

  pending(): Record<string, PendingSave> {
    try {
      return JSON.parse(this.storage.getItem(this.key) ?? "{}") as Record<string, PendingSave>;
    } catch {
      return {};
    }
  }

  private write(pending: Record<string, PendingSave>): void {
    if (Object.keys(pending).length) this.storage.setItem(this.key, JSON.stringify(pending));
    else this.storage.removeItem(this.key);
  }

  subscribe(listener: (state: SaveState, detail?: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(state: SaveState, detail?: string): void {
    this.state = state;
    if (detail !== undefined) this.lastError = detail;
    this.listeners.forEach((listener) => listener(state, detail));
  }

  /** Queue the latest answer of a question and try to send everything queued. */
  enqueue(position: number, save: PendingSave): Promise<void> {
    const pending = this.pending();
    pending[String(position)] = save;
    this.write(pending);
    return this.flush();
  }

  /** Send what is queued, oldest question first; stop at the first failure that may pass. */
  async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    let refused = "";
    try {
      for (;;) {
        const pending = this.pending();
        const positions = Object.keys(pending).map(Number).sort((a, b) => a - b);
        if (!positions.length) {
          if (refused) this.set("error", refused);
          else this.set("saved");
          return;
        }
        const position = positions[0]!;
        const save = pending[String(position)]!;
        this.set("saving");
        let outcome: SendOutcome;
        try {
          outcome = await this.send(position, save);
        } catch {
          outcome = { ok: false, retry: true, message: "offline" };
        }
        const now = this.pending();
        if (outcome.ok || !outcome.retry) {
          // Drop it, unless the learner changed the answer again while it was on its way.
          if (JSON.stringify(now[String(position)]) === JSON.stringify(save)) delete now[String(position)];
          this.write(now);
          if (!outcome.ok) refused = outcome.message; // refused for good (e.g. time is up): don't retry
        } else {
          this.set("offline", outcome.message);
          return;
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
