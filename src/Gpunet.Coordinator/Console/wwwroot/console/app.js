// The console's shell: sign-in, the header, and a page per route (#/network, #/market, #/leases[/ID], #/hosts[/check/ID],
// #/alerts, #/kyc, #/operator).
import { api, session, onConnection, whenSignedOut, ApiError } from './api.js';
import { h, problem } from './dom.js';
import * as network from './network.js';
import * as market from './market.js';
import * as leases from './leases.js';
import * as kyc from './kyc.js';
import * as hosts from './hosts.js';
import * as operator from './operator.js';
import * as alertsPage from './alerts.js';
import { signIn as signInWithKey } from './keyfile.js';

const main = document.getElementById('main');
const pages = { network, market, leases, kyc, hosts, operator, alerts: alertsPage };
let leave = () => {};
let notice = null;

async function redeem(code) {
  const token = await api('/api/v1/auth/console-links/redeem', { method: 'POST', body: { code } });
  session.set(token.accessToken, token.expiresIn);
}

function signInPage(message) {
  const input = h('input', { id: 'link', type: 'text', placeholder: 'http://…/#link=… or the code', autocomplete: 'off', size: 60 });
  const status = h('div');
  const form = h('form', {
    class: 'card signin',
    onsubmit: async e => {
      e.preventDefault();
      const text = input.value.trim();
      const code = text.includes('#link=') ? text.slice(text.indexOf('#link=') + 6) : text;
      status.replaceChildren();
      try {
        await redeem(code);
        await start('#/network');
      } catch (err) {
        status.replaceChildren(problem(err));
      }
    },
  },
  h('h1', {}, 'Sign in'),
  message ? h('p', { class: 'notice', role: 'alert' }, message) : null,
  h('p', {}, 'Run ', h('code', {}, 'gpunet login --web'), ' and open the link it prints, or paste it here. ',
    'The link works once, for a few minutes, and signs this browser in as the wallet (or the operator) that made it.'),
  h('label', { for: 'link' }, 'Link or code'), input, h('button', { type: 'submit' }, 'Sign in'), status);
  const file = h('input', { id: 'keyfile', type: 'file' });
  const keyStatus = h('div');
  const keyForm = h('form', {
    class: 'card signin',
    onsubmit: async e => {
      e.preventDefault();
      keyStatus.replaceChildren();
      try {
        if (!file.files?.length) throw new Error('choose your key file first');
        const token = await signInWithKey(await file.files[0].text());
        session.set(token.accessToken, token.expiresIn);
        await start('#/network');
      } catch (err) {
        keyStatus.replaceChildren(problem(err));
      }
    },
  },
  h('h2', {}, 'Or with a key file'),
  h('p', {}, 'Your wallet\'s key file (', h('code', {}, 'gpunet keys new'), ' writes one) signs a challenge here, in this tab; the key is never sent.'),
  h('label', { for: 'keyfile' }, 'Key file'), file, h('button', { type: 'submit', id: 'keyfile-signin' }, 'Sign in with the key'), keyStatus);
  main.replaceChildren(form, keyForm);
}

async function header() {
  const me = await api('/api/v1/me');
  document.getElementById('who').textContent = me.role === 'admin' ? 'network operator' : me.address;
  document.getElementById('nav').hidden = false;
  document.getElementById('signout').hidden = false;
  // Officers (and the operator) see the compliance pages; the API decides, the page only asks.
  let officer = false;
  try {
    await api('/api/v1/kyc/submissions?limit=1');
    officer = true;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 403) throw e;
  }
  document.getElementById('nav-kyc').hidden = !officer;
  document.getElementById('nav-operator').hidden = me.role !== 'admin';
  document.getElementById('nav-hosts').hidden = !me.address;
  document.getElementById('nav-alerts').hidden = !me.address;
}

// The participant's alerts (low balance, a paused host, a failed check), each with its reason; read again on every page.
async function alerts() {
  const list = document.getElementById('alerts');
  try {
    const items = await api('/api/v1/alerts');
    list.replaceChildren(...items.map(a => h('li', { class: `alert ${a.kind}`, 'data-kind': a.kind }, h('strong', {}, a.kind.replace('-', ' ')), ' ', a.message)));
    list.hidden = items.length === 0;
  } catch {
    // The page's own call says what went wrong.
  }
}

function route() {
  leave();
  leave = () => {};
  const s = session.get();
  if (!s?.token || s.expiresAt < Date.now()) {
    session.clear();
    signInPage(notice ?? (s ? 'Your session has ended; sign in again.' : null));
    notice = null;
    return;
  }
  const [, name = 'network', ...rest] = (location.hash || '#/network').split('/');
  const page = pages[name] ?? network;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === `#/${name}`);
  const controller = new AbortController();
  leave = () => controller.abort();
  alerts();
  page.render(main, rest.map(decodeURIComponent), controller.signal).catch(e => {
    if (e.name !== 'AbortError') main.replaceChildren(problem(e));
  });
}

async function start(hash) {
  history.replaceState(null, '', hash);
  await header();
  route();
}

whenSignedOut(message => {
  notice = message;
  document.getElementById('nav').hidden = true;
  document.getElementById('signout').hidden = true;
  document.getElementById('who').textContent = '';
  document.getElementById('alerts').hidden = true;
  location.hash = '#/signin';
  route();
});

onConnection(ok => {
  const c = document.getElementById('connection');
  c.textContent = ok ? '' : 'Connection to the coordinator lost; reconnecting…';
  c.classList.toggle('lost', !ok);
});

document.getElementById('signout').addEventListener('click', () => {
  session.clear();
  location.hash = '#/signin';
  location.reload();
});

window.addEventListener('hashchange', route);

(async () => {
  // A one-time link from gpunet login --web: its code is in the fragment, which no request ever carried.
  if (location.hash.startsWith('#link=')) {
    const code = location.hash.slice(6);
    history.replaceState(null, '', '#/signin');
    try {
      await redeem(code);
      await start('#/network');
    } catch (e) {
      signInPage(e.message);
    }
    return;
  }
  if (session.get()?.token) {
    try {
      await header();
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) main.replaceChildren(problem(e));
    }
  }
  route();
})();
