// The coordinator's REST API with the signed-in user's bearer token, and the connection's state for the header.
const KEY = 'gpunet.console.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `the coordinator answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const session = {
  get() {
    try { return JSON.parse(sessionStorage.getItem(KEY)); } catch { return null; }
  },
  set(token, expiresInSeconds) {
    sessionStorage.setItem(KEY, JSON.stringify({ token, expiresAt: Date.now() + expiresInSeconds * 1000 }));
  },
  clear() { sessionStorage.removeItem(KEY); },
};

const listeners = new Set();
let online = true;
export function onConnection(f) { listeners.add(f); f(online); }
function connection(ok) {
  if (ok === online) return;
  online = ok;
  for (const f of listeners) f(ok);
}

// Sent to the sign-in page when the session is gone or expired.
export let onSignedOut = () => {};
export function whenSignedOut(f) { onSignedOut = f; }

async function send(path, { method = 'GET', body, accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept };
  const s = session.get();
  if (s?.token) headers.Authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    connection(false);
    throw new ApiError(0, { detail: 'the coordinator cannot be reached; retrying' });
  }
  connection(true);
  if (res.status === 401 && s?.token) {
    session.clear();
    onSignedOut('Your session has ended; sign in again.');
  }
  return res;
}

async function problemOf(res) {
  try { return await res.json(); } catch { return null; }
}

export async function api(path, options = {}) {
  const res = await send(path, options);
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

// A newline-delimited JSON answer (a lease's stored log lines), as an array.
export async function ndjson(path) {
  const res = await send(path, { accept: 'application/x-ndjson' });
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  return (await res.text()).split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
}

// Server-sent events through fetch (EventSource cannot send the bearer token): yields { event, data } until the
// stream ends or the signal aborts.
export async function* events(path, signal) {
  const res = await send(path, { accept: 'text/event-stream', signal });
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (e) {
        if (e.name === 'AbortError') return;
        connection(false);
        throw new ApiError(0, { detail: 'the connection to the coordinator was lost; reconnecting' });
      }
      if (chunk.done) return;
      buffer += chunk.value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (data.length) yield { event, data: JSON.parse(data.join('\n')) };
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
