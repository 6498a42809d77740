/**
 * Registers the service worker that keeps visited pages readable and runnable offline
 * (src/offline/sw.js), and wires the "Save for offline" button where a page has one.
 * Only in the built site: `astro dev` serves no sw.js.
 */
const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const registration = navigator.serviceWorker
    .register(`${base}sw.js`, { scope: base })
    .catch(() => null); // e.g. storage disabled: the book still works online
  const button = document.querySelector<HTMLButtonElement>('[data-save-offline]');
  const status = document.querySelector<HTMLElement>('[data-save-offline-status]');
  if (button && status) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      button.disabled = true;
      status.textContent = 'Saving…';
      await registration;
      const worker = (await navigator.serviceWorker.ready).active;
      if (!worker) {
        status.textContent = 'Saving is not available in this browser.';
        button.disabled = false;
        return;
      }
      navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
        const { type, done, total, failed } = event.data ?? {};
        if (type !== 'save-progress') return;
        status.textContent =
          done < total
            ? `Saving… ${done} of ${total}`
            : failed
              ? `Saved, except ${failed} file${failed === 1 ? '' : 's'} that could not be fetched.`
              : 'The whole book is saved on this device: it works offline.';
        if (done === total) button.disabled = false;
      });
      worker.postMessage({ type: 'save-all' });
    });
  }
}
