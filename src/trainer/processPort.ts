// The IPC channel of a forked child (training or inference) as a typed port: `send` resolves
// once Node has handed the message over, or at once when the host has gone (a closed channel
// is not an error here: the child is about to be told to leave by 'disconnect').
export interface ProcessPort<Event> {
  send(msg: Event): Promise<void>;
  onMessage(fn: (m: unknown) => void): void;
  onDisconnect(fn: () => void): void;
}

export function processPort<Event>(): ProcessPort<Event> {
  return {
    send: (msg) =>
      new Promise<void>((resolve) => {
        if (!process.connected || !process.send) return resolve();
        try {
          process.send(msg, undefined, undefined, () => resolve());
        } catch {
          resolve();
        }
      }),
    onMessage: (fn) => process.on('message', fn),
    onDisconnect: (fn) => process.on('disconnect', fn),
  };
}
