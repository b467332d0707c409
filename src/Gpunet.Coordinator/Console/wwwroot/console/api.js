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

async function send(path, { method = 'GET', body, accept = 'application/json', signal, lastEventId } = {}) {
  const headers = { Accept: accept };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
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

// Server-sent events through fetch (EventSource cannot send the bearer token): yields { event, data, id } until the
// stream ends or the signal aborts; lastEventId (the last id received) asks the server to resume after it.
export async function* events(path, signal, lastEventId) {
  const res = await send(path, { accept: 'text/event-stream', signal, lastEventId });
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
        let event = 'message', id;
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          else if (line.startsWith('id:')) id = line.slice(3).trim();
        }
        if (data.length) yield { event, data: JSON.parse(data.join('\n')), id };
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

// Follows a stream for as long as the page is open: each event to onEvent (return true to stop); a lost connection is
// shown in the header (by send and events) and tried again with backoff (1 to 15 s), resuming after the last id seen.
// Any other refusal (a 404, a 429 over the cap) is thrown.
export async function follow(path, signal, onEvent) {
  let wait = 1000, lastId;
  while (!signal.aborted) {
    try {
      for await (const e of events(path, signal, lastId)) {
        if (e.id) lastId = e.id;
        wait = 1000;
        if (onEvent(e)) return;
      }
    } catch (e) {
      if (signal.aborted) return;
      if (e.status !== 0 && e.status !== 429) throw e;
    }
    await new Promise(r => setTimeout(r, wait));
    wait = Math.min(wait * 2, 15000);
  }
}
