// Alerts: yours now, each with its reason, and the webhook they are also sent to (signed; the secret is shown once).
import { api, ApiError } from './api.js';
import { h, table, when, problem } from './dom.js';

async function webhook() {
  try {
    return await api('/api/v1/alerts/webhook');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export async function render(main) {
  const [alerts, hook] = await Promise.all([api('/api/v1/alerts'), webhook()]);
  const url = h('input', { id: 'webhook-url', type: 'url', size: 60, placeholder: 'https://example.com/gpunet-alerts', value: hook?.url ?? '' });
  const status = h('div', { id: 'webhook-status' });
  const form = h('form', {
    class: 'card',
    onsubmit: async e => {
      e.preventDefault();
      status.replaceChildren();
      try {
        const set = await api('/api/v1/alerts/webhook', { method: 'PUT', body: { url: url.value } });
        status.replaceChildren(h('p', { class: 'ok' }, 'Alerts will be POSTed there, each once. Verify the Gpunet-Signature header ',
          '(t=UNIX,v1=HMAC-SHA256 of "t.body") with this secret, shown only now: '), h('code', { id: 'webhook-secret' }, set.secret));
      } catch (err) {
        status.replaceChildren(problem(err));
      }
    },
  },
  h('h2', {}, 'Webhook'),
  h('p', { class: 'muted' }, hook ? `Set ${when(hook.setAt)}.` : 'None set: alerts are shown here only.'),
  h('label', { for: 'webhook-url' }, 'URL (https) '), url, h('button', { type: 'submit' }, 'Save'), status);
  main.replaceChildren(h('section', {},
    h('h1', {}, 'Alerts'),
    table(['Kind', 'About', 'What and why', 'Since'], alerts.map(a => [a.kind, a.subject, a.message, when(a.at)]), 'Nothing needs you now.'),
    form));
}
