/**
 * How a freshly trained network reaches the drawing pad: the training widget publishes its
 * weights here after every epoch; the pad listens and switches to them. Both widgets import
 * this module, so on one page they share its state (Vite bundles it once); a pad that hydrates
 * after training started reads `latestWeights()`. A BroadcastChannel carries the same message
 * to the book's other open tabs, so a pad in another tab picks the new network up too.
 */
export interface PublishedWeights {
  weights: Float32Array;
  /** Shown beside the pad, e.g. "your network (epoch 2, 97.2 % test accuracy)". */
  label: string;
}

const EVENT = 'descent:digits-weights';
const CHANNEL = 'descent-digits';
let latest: PublishedWeights | null = null;
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);

export function publishWeights(published: PublishedWeights): void {
  latest = published;
  window.dispatchEvent(new CustomEvent(EVENT, { detail: published }));
  channel?.postMessage(published);
}

export function latestWeights(): PublishedWeights | null {
  return latest;
}

export function onWeights(listener: (published: PublishedWeights) => void): void {
  window.addEventListener(EVENT, (event) =>
    listener((event as CustomEvent<PublishedWeights>).detail),
  );
  if (channel) {
    channel.onmessage = (event: MessageEvent<PublishedWeights>) => {
      latest = event.data;
      listener(event.data);
    };
  }
}
