import { SaveQueue, type PendingSave, type SendOutcome } from "./saveQueue";

class MemoryStorage {
  data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

/** A fake server: records what reached it; `online` decides whether requests get through. */
function server() {
  const received: Array<[number, PendingSave]> = [];
  const state = { online: true, refuse: "" };
  const send = async (position: number, save: PendingSave): Promise<SendOutcome> => {
    if (!state.online) throw new TypeError("Failed to fetch");
    if (state.refuse) return { ok: false, retry: false, message: state.refuse };
    received.push([position, save]);
    return { ok: true, remaining: 100 };
  };
  return { received, state, send };
}

const answer = (selected: string[]): PendingSave => ({ answer: { selected }, flagged: false });

describe("the offline save queue", () => {
  it("sends a change at once and reports saved", async () => {
    const storage = new MemoryStorage();
    const { received, send } = server();
    const queue = new SaveQueue("a1", send, storage);
    const states: string[] = [];
    queue.subscribe((s) => states.push(s));
    await queue.enqueue(3, answer(["B"]));
    expect(received).toEqual([[3, answer(["B"])]]);
    expect(queue.state).toBe("saved");
    expect(states).toEqual(["saving", "saved"]);
    expect(queue.pending()).toEqual({});
  });

  it("keeps answers given offline, the latest per question, and sends them when back online", async () => {
    const storage = new MemoryStorage();
    const { received, state, send } = server();
    const queue = new SaveQueue("a1", send, storage);
    state.online = false;
    await queue.enqueue(2, answer(["A"]));
    await queue.enqueue(2, answer(["C"]));
    await queue.enqueue(1, { answer: null, flagged: true });
    expect(queue.state).toBe("offline");
    expect(received).toEqual([]);
    expect(Object.keys(queue.pending())).toEqual(["1", "2"]);

    state.online = true;
    await queue.flush();
    expect(received).toEqual([
      [1, { answer: null, flagged: true }],
      [2, answer(["C"])],
    ]);
    expect(queue.state).toBe("saved");
    expect(queue.pending()).toEqual({});
  });

  it("survives a reload: a new queue on the same storage sends what the old one kept", async () => {
    const storage = new MemoryStorage();
    const first = server();
    first.state.online = false;
    await new SaveQueue("a1", first.send, storage).enqueue(5, answer(["D"]));

    const second = server();
    const reloaded = new SaveQueue("a1", second.send, storage);
    expect(reloaded.pending()).toEqual({ "5": answer(["D"]) });
    await reloaded.flush();
    expect(second.received).toEqual([[5, answer(["D"])]]);
    // Another attempt's queue is kept apart.
    expect(new SaveQueue("a2", second.send, storage).pending()).toEqual({});
  });

  it("does not drop a newer answer given while the older one was on its way", async () => {
    const storage = new MemoryStorage();
    const received: PendingSave[] = [];
    let release: () => void = () => {};
    const send = async (_position: number, save: PendingSave): Promise<SendOutcome> => {
      received.push(save);
      if (received.length === 1) {
        await new Promise<void>((resolve) => (release = resolve));
      }
      return { ok: true };
    };
    const queue = new SaveQueue("a1", send, storage);
    const first = queue.enqueue(4, answer(["A"]));
    await Promise.resolve();
    void queue.enqueue(4, answer(["B"])); // while the first is in flight
    release();
    await first;
    expect(received).toEqual([answer(["A"]), answer(["B"])]);
    expect(queue.pending()).toEqual({});
  });

  it("stops retrying a save the server refused for good and says why", async () => {
    const storage = new MemoryStorage();
    const { state, send } = server();
    const queue = new SaveQueue("a1", send, storage);
    const details: Array<string | undefined> = [];
    queue.subscribe((_s, detail) => details.push(detail));
    state.refuse = "Time is up for this attempt.";
    await queue.enqueue(1, answer(["A"]));
    expect(queue.state).toBe("error");
    expect(queue.lastError).toBe("Time is up for this attempt.");
    expect(queue.pending()).toEqual({});
  });

  it("keeps a save the server could not store for now (503) and sends it on the next flush", async () => {
    const storage = new MemoryStorage();
    const received: Array<[number, PendingSave]> = [];
    let unavailable = true;
    const message = "The database is briefly unavailable, so nothing was saved. Try again in 2 seconds.";
    // What ExamRoom's transport makes of a 503 (and of any 5xx or 429): worth trying again.
    const send = async (position: number, save: PendingSave): Promise<SendOutcome> => {
      if (unavailable) return { ok: false, retry: true, message };
      received.push([position, save]);
      return { ok: true, remaining: 100 };
    };
    const queue = new SaveQueue("a1", send, storage);
    await queue.enqueue(2, answer(["B"]));
    expect(queue.state).toBe("offline");
    expect(queue.lastError).toBe(message);
    expect(queue.pending()).toEqual({ "2": answer(["B"]) });

    unavailable = false;
    await queue.flush();
    expect(received).toEqual([[2, answer(["B"])]]);
    expect(queue.state).toBe("saved");
    expect(queue.pending()).toEqual({});
  });

  it("treats a corrupt stored queue as empty rather than failing", () => {
    const storage = new MemoryStorage();
    storage.setItem("mlaexam.pending.a1", "{not json");
    expect(new SaveQueue("a1", server().send, storage).pending()).toEqual({});
  });
});
