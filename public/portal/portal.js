// The public portal: file a complaint, track it, rate/accept/appeal it, see public figures.
// Plain modules, no build step; it speaks only the public API (CONTRACT.md). All text from the
// server is put on the page as text, never as HTML.
import { WORDS } from './i18n.js';

const API = '/api';
const main = document.getElementById('main');
const live = document.getElementById('status');
const languageSelect = document.getElementById('language');
let lang = localStorage.getItem('grm-portal-lang') || (navigator.language || 'en').slice(0, 2);
if (!WORDS[lang]) lang = 'en';

const t = (key, vars = {}) => (WORDS[lang][key] ?? WORDS.en[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));

/**
 * A random key for Idempotency-Key. crypto.randomUUID exists only in secure contexts (HTTPS or
 * localhost): a portal served over plain HTTP on a hostname would not even open. getRandomValues
 * is available everywhere and gives the same 122 random bits, written as a version-4 UUID.
 */
function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Creates an element; strings become text nodes, so nothing from the server is parsed as HTML. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...nodes(children));
  return el;
}

/**
 * Children as DOM nodes. A missing part (null, undefined, false: a button a closed case no longer
 * has, a note a case lacks) is left out: the DOM's own append() would print it as "null".
 */
function nodes(children) {
  return children.flat(Infinity).filter((child) => child != null && child !== false).map((child) => (child instanceof Node ? child : document.createTextNode(String(child))));
}

async function api(path, options = {}) {
  try {
    const res = await fetch(`${API}${path}`, { ...options, headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...(options.headers || {}) } });
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
    return { ok: res.ok, status: res.status, body, retryAfter: res.headers.get('retry-after') };
  } catch {
    return { ok: false, status: 0, body: null };
  }
}

const when = (iso, withTime = true) => (iso ? new Intl.DateTimeFormat(lang === 'hi' ? 'hi-IN' : lang, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(new Date(iso)) : t('none'));
const announce = (text) => { live.textContent = text; };
// Views load over the network and a citizen may move on before an answer arrives (or switch the
// language, which redraws the page). Each view takes a painter when it starts; a painter from an
// older navigation paints nothing, so a late answer never replaces the page now on screen.
let navigation = 0;
function painter() {
  const ticket = navigation;
  return (...parts) => {
    if (ticket !== navigation) return;
    main.replaceChildren(...nodes(parts));
    main.focus();
  };
}

function applyLanguage() {
  document.documentElement.lang = lang;
  languageSelect.value = lang;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  document.title = t('brand');
}
languageSelect.addEventListener('change', () => {
  lang = languageSelect.value;
  localStorage.setItem('grm-portal-lang', lang);
  applyLanguage();
  route();
});

async function projects() {
  const res = await api(`/projects?locale=${lang}&sort=code`);
  return res.ok ? res.body.data : [];
}
const option = (value, label, selected) => h('option', { value, selected: selected ? true : null }, label);
// Options cannot nest, and a select collapses ordinary spaces: depth is shown with em spaces.
const INDENT = '\u2003\u2003';

/**
 * Regions top-down, as the hierarchy reads (province, its districts, each district's villages),
 * each region followed by its own children in name order. A region whose parent is not in the
 * list (another project's, or none) starts a tree of its own.
 */
function regionTree(regions) {
  const codes = new Set(regions.map((r) => r.code));
  const children = new Map();
  for (const r of regions) {
    const parent = r.parent && codes.has(r.parent.code) ? r.parent.code : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(r);
  }
  const byName = (a, b) => (a.level ?? 0) - (b.level ?? 0) || String(a.name).localeCompare(String(b.name), lang);
  const out = [];
  const walk = (parent, depth) => {
    for (const r of (children.get(parent) ?? []).sort(byName)) {
      out.push({ region: r, depth });
      // A cycle in badly entered data must not hang the page.
      if (out.filter((o) => o.region === r).length === 1) walk(r.code, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

/** A labelled form field with its hint and error slot, wired for screen readers. */
function field(id, label, control, hint) {
  control.id = id;
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  return h('div', {}, h('label', { class: 'field', for: id }, label), hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null, control, h('p', { class: 'error', id: `${id}-error` }));
}
// Each field the server may name in an error: the control that shows it, and the message the
// citizen reads in the portal's language. The server's own words are English for integrators, so
// they are never shown; a field with no message of its own gets the general one.
const FIELDS = {
  project: ['f-project', 'errRequired'], category: ['f-category', 'errCategory'], description: ['f-description', 'errDescription'], region: ['f-region', 'errInvalid'],
  'citizen.phone': ['f-phone', 'errPhone'], 'citizen.email': ['f-email', 'errEmail'], 'citizen.name': ['f-name', 'errInvalid'], citizen: ['f-name', 'errInvalid'],
  'location.address': ['f-address', 'errInvalid'], 'location.lat': ['f-address', 'errInvalid'], 'location.lng': ['f-address', 'errInvalid'], location: ['f-address', 'errInvalid'], attachments: ['f-files', 'errFiles'],
  caseSecret: ['f-secret', 'errSecret'], rating: ['f-rating', 'errRating'], reason: ['f-reason', 'errReason'], comment: ['f-comment', 'errInvalid'],
};
// The server's rules, checked before sending so that the citizen hears of a mistake at once.
const PHONE = /^\+?[0-9][0-9 ()-]{5,24}$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const MAX_FILES = 5;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Marks the fields named by `paths` (each 'category', 'citizen.phone' ...) with their messages; focuses the first. */
function markErrors(form, paths) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('p.error[id$="-error"]')) el.textContent = '';
  let first = null;
  for (const path of paths) {
    const [id, key] = FIELDS[path] ?? [];
    const control = id && form.querySelector(`#${id}`);
    if (!control) continue;
    control.setAttribute('aria-invalid', 'true');
    const slot = form.querySelector(`#${id}-error`);
    if (slot) slot.textContent = t(key);
    first ??= control;
  }
  first?.focus();
}
/** The field paths of a validation answer from the server. */
const serverPaths = (res) => (res.body?.error?.details?.errors || []).map((e) => (e.path || []).join('.'));

// ---------- Home ----------
function home() {
  const show = painter();
  show(
    h('h1', {}, t('homeTitle')),
    h('p', {}, t('homeText')),
    h('div', { class: 'actions' }, h('a', { href: '#/submit', class: 'button' }, t('navSubmit')), h('a', { href: '#/track', class: 'button secondary' }, t('navTrack')), h('a', { href: '#/figures', class: 'button secondary' }, t('navFigures')))
  );
}

// ---------- Submit ----------
async function submitView() {
  const show = painter();
  const list = await projects();
  const project = h('select', { name: 'project', required: true }, list.map((p, i) => option(p.code, p.name, i === 0)));
  const category = h('select', { name: 'category', required: true });
  const region = h('select', { name: 'region' });
  const description = h('textarea', { name: 'description', required: true, maxlength: 10000 });
  const address = h('input', { type: 'text', name: 'address', maxlength: 500, autocomplete: 'street-address' });
  const anonymous = h('input', { type: 'checkbox', id: 'f-anonymous', name: 'anonymous' });
  const name = h('input', { type: 'text', name: 'name', maxlength: 200, autocomplete: 'name' });
  const phone = h('input', { type: 'tel', name: 'phone', maxlength: 40, autocomplete: 'tel', inputmode: 'tel' });
  const email = h('input', { type: 'email', name: 'email', maxlength: 254, autocomplete: 'email' });
  const contact = h('div', {}, field('f-name', t('name'), name), field('f-phone', t('phone'), phone), field('f-email', t('email'), email));
  const photos = h('input', { type: 'file', name: 'files', multiple: true, class: 'file-input', accept: 'image/jpeg,image/png,image/webp,application/pdf,audio/ogg,audio/mpeg,audio/mp4' });
  // The browser's own file button is small and speaks the browser's language, not the portal's:
  // the input stays (keyboard and screen readers reach it) and a large label in the portal's
  // words opens it.
  const chosenFiles = h('span', { class: 'file-names', 'data-testid': 'file-names' }, t('noFiles'));
  const chooseFiles = h('label', { for: 'f-files', class: 'file-button', 'data-testid': 'file-button' }, t('chooseFiles'));
  let uploaded = null;
  photos.addEventListener('change', () => {
    uploaded = null;
    chosenFiles.textContent = photos.files.length ? [...photos.files].map((f) => f.name).join(', ') : t('noFiles');
  });
  const send = h('button', { type: 'submit' }, t('send'));
  const message = h('p', { class: 'error', role: 'alert' });
  let point = null;
  // One key per complaint: pressing Send again after a dropped connection files it once.
  let idempotencyKey = newIdempotencyKey();

  // The lists follow the chosen project. On a slow line an older answer can arrive after a newer
  // one, and a choice already made must survive the refill, so only the latest answer is used
  // and the previous selection is kept when the new list still has it.
  let loading = 0;
  async function loadChoices() {
    const code = project.value;
    const ticket = ++loading;
    const [cats, regs] = await Promise.all([
      api(`/categories?locale=${lang}&filters[project][code][$eq]=${encodeURIComponent(code)}&sort=name&pagination[pageSize]=100`),
      api(`/regions?locale=${lang}&filters[project][code][$eq]=${encodeURIComponent(code)}&fields[0]=code&fields[1]=name&fields[2]=level&populate[parent][fields][0]=code&sort=name&pagination[pageSize]=200`),
    ]);
    if (ticket !== loading) return;
    // No category is chosen for the citizen: a guess would file complaints under the wrong one.
    refill(category, [option('', t('chooseCategory')), ...(cats.ok ? cats.body.data : []).map((c) => option(c.code, c.name))]);
    refill(region, [option('', t('regionNone')), ...regionTree(regs.ok ? regs.body.data : []).map(({ region: r, depth }) => option(r.code, `${INDENT.repeat(depth)}${r.name}`))]);
  }
  function refill(select, options) {
    const previous = select.value;
    select.replaceChildren(...options);
    if (options.some((o) => o.value === previous)) select.value = previous;
  }
  project.addEventListener('change', loadChoices);
  anonymous.addEventListener('change', () => { contact.hidden = anonymous.checked; });

  const locate = h('button', { type: 'button', class: 'secondary', onclick: () => {
    navigator.geolocation?.getCurrentPosition(
      (pos) => { point = { lat: Number(pos.coords.latitude.toFixed(6)), lng: Number(pos.coords.longitude.toFixed(6)) }; announce(t('locationFound')); locate.textContent = `✓ ${t('locationFound')}`; },
      () => announce(t('locationFailed')),
      { timeout: 10000 }
    );
  } }, t('useLocation'));

  // Every rule the server applies to what a citizen types, in the order of the form.
  function problems() {
    const paths = [];
    if (!category.value) paths.push('category');
    if (!description.value.trim()) paths.push('description');
    if (!anonymous.checked && phone.value.trim() && !PHONE.test(phone.value.trim())) paths.push('citizen.phone');
    if (!anonymous.checked && email.value.trim() && !EMAIL.test(email.value.trim())) paths.push('citizen.email');
    if (photos.files.length > MAX_FILES || [...photos.files].some((f) => f.size > MAX_FILE_BYTES)) paths.push('attachments');
    return paths;
  }

  const filesField = field('f-files', t('files'), photos, t('filesHint'));
  photos.after(h('div', { class: 'file-picker' }, chooseFiles, chosenFiles));

  const form = h('form', { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const invalid = problems();
    markErrors(form, invalid);
    if (invalid.length) {
      message.textContent = t('fix');
      return;
    }
    send.disabled = true;
    send.textContent = t('sending');
    message.textContent = '';
    const data = { project: project.value, category: category.value, description: description.value, language: lang, channel: 'web', anonymous: anonymous.checked };
    if (region.value) data.region = region.value;
    if (point || address.value.trim()) data.location = { ...(point || {}), ...(address.value.trim() ? { address: address.value.trim() } : {}) };
    if (!anonymous.checked) {
      const citizen = Object.fromEntries([['name', name.value.trim()], ['phone', phone.value.trim()], ['email', email.value.trim()]].filter(([, v]) => v));
      if (Object.keys(citizen).length) data.citizen = citizen;
    }
    if (photos.files.length && !uploaded) {
      const body = new FormData();
      for (const file of photos.files) body.append('files', file);
      const up = await fetch(`${API}/grievances/attachments`, { method: 'POST', body }).then(async (r) => ({ ok: r.ok, status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.json().catch(() => null) })).catch(() => ({ ok: false, status: 0, body: null }));
      if (!up.ok) {
        send.disabled = false;
        send.textContent = t('send');
        // The server explains in English for integrators; the citizen reads the portal's words.
        message.textContent = up.status === 0 || up.status >= 500 ? t('offline') : up.status === 429 ? t('tooMany', { s: up.retryAfter || 60 }) : t('fix');
        if (up.status > 0 && up.status < 500 && up.status !== 429) markErrors(form, ['attachments']);
        return photos.focus();
      }
      uploaded = up.body.data.map((f) => f.id);
    }
    if (uploaded?.length) data.attachments = uploaded;
    const res = await api('/grievances/submit', { method: 'POST', body: JSON.stringify({ data }), headers: { 'Idempotency-Key': idempotencyKey } });
    send.disabled = false;
    send.textContent = t('send');
    if (res.ok) {
      idempotencyKey = newIdempotencyKey();
      uploaded = null;
      return done(res.body.data, show);
    }
    if (res.status === 0 || res.status >= 500 || res.status === 409) message.textContent = t('offline');
    else if (res.status === 429) message.textContent = t('tooMany', { s: res.retryAfter || 60 });
    else {
      message.textContent = t('fix');
      markErrors(form, serverPaths(res));
      if (res.status === 422) idempotencyKey = newIdempotencyKey();
    }
  } },
    field('f-project', t('project'), project),
    field('f-category', t('category'), category),
    field('f-description', t('description'), description, t('descriptionHint')),
    field('f-region', t('region'), region),
    h('fieldset', { class: 'card' }, h('legend', {}, t('location')), h('div', { class: 'actions' }, locate), field('f-address', t('address'), address)),
    filesField,
    h('div', { class: 'check' }, anonymous, h('label', { for: 'f-anonymous' }, h('strong', {}, t('anonymous')), h('br'), h('span', { class: 'hint' }, t('anonymousHint')))),
    contact,
    message,
    h('div', { class: 'actions' }, send)
  );
  show(h('h1', {}, t('submitTitle')), form);
  await loadChoices();
}

/**
 * The receipt is asked for with the case secret in the request body, never in a link: a URL
 * with the secret would stay in the browser's history and in every proxy's and server's log.
 */
async function downloadReceipt(result, button) {
  button.disabled = true;
  try {
    const res = await fetch(result.receiptUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/pdf' }, body: JSON.stringify({ data: { caseSecret: result.caseSecret } }) });
    if (!res.ok) return announce(res.status === 429 ? t('tooMany', { s: res.headers.get('retry-after') || 60 }) : t('offline'));
    const url = URL.createObjectURL(await res.blob());
    const link = h('a', { href: url, download: `receipt-${result.trackingCode}.pdf` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch {
    announce(t('offline'));
  } finally {
    button.disabled = false;
  }
}

function done(result, show) {
  const steps = result.roadmap.map((s) => h('li', {}, h('strong', {}, t(`step_${s.step}`)), ' ', when(s.expectedBy)));
  show(
    h('h1', {}, t('doneTitle')),
    h('div', { class: 'card' },
      h('p', {}, t('code')), h('p', { class: 'code', 'data-testid': 'tracking-code' }, result.trackingCode),
      h('p', {}, t('secret')), h('p', { class: 'secret', 'data-testid': 'case-secret' }, result.caseSecret),
      h('p', { class: 'hint' }, t('secretWarn')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', 'data-testid': 'receipt', onclick: (e) => downloadReceipt(result, e.currentTarget) }, t('receipt')),
        h('a', { href: `#/track/${result.trackingCode}` }, t('trackIt')))
    ),
    h('h2', {}, t('roadmap')),
    h('ol', { class: 'timeline' }, steps)
  );
  announce(t('doneTitle'));
}

// ---------- Track ----------
function trackForm(initial = '') {
  const input = h('input', { type: 'text', name: 'code', value: initial, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
  const form = h('form', { onsubmit: (e) => { e.preventDefault(); location.hash = `#/track/${input.value.trim().toUpperCase()}`; } },
    field('f-code', t('trackCode'), input, t('trackHint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('find'))));
  return form;
}

async function trackView(code, focusFeedback) {
  const show = painter();
  if (!code) return show(h('h1', {}, t('trackTitle')), trackForm());
  const res = await api(`/grievances/track/${encodeURIComponent(code)}?locale=${lang}`);
  if (!res.ok) {
    const reason = res.body?.error?.details?.code === 'INVALID_TRACKING_CODE' ? t('typo') : res.status === 404 ? t('notFound') : t('offline');
    return show(h('h1', {}, t('trackTitle')), trackForm(code), h('p', { class: 'error', role: 'alert' }, reason));
  }
  const c = res.body.data;
  const rows = [[t('submitted'), when(c.submittedAt)], [t('ackBy'), when(c.acknowledgeBy)], [t('resolveBy'), when(c.resolveBy)]];
  if (!c.sensitive && c.category) rows.unshift([t('categoryColumn'), c.category]);
  const view = [
    h('h1', {}, c.trackingCode),
    h('p', {}, t('status'), ': ', h('span', { class: 'status', 'data-testid': 'case-status' }, c.statusLabel)),
    c.sensitive ? h('p', { class: 'hint' }, t('sensitive')) : null,
    h('table', {}, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v))))),
    h('h2', {}, t('history')),
    h('ol', { class: 'timeline' }, c.history.map((e) => h('li', {}, h('strong', {}, e.statusLabel), ' · ', when(e.at), e.publicNote ? h('div', {}, e.publicNote) : null))),
  ];
  if (['resolved', 'closed'].includes(c.status)) view.push(citizenActions(c, focusFeedback));
  show(...view);
}

function citizenActions(c, focus) {
  const secret = h('input', { type: 'text', name: 'caseSecret', autocomplete: 'off', spellcheck: 'false' });
  const message = h('p', { role: 'alert', class: 'error' });
  const stars = h('fieldset', { class: 'stars', id: 'f-rating', 'aria-describedby': 'f-rating-error' }, h('legend', { class: 'visually-hidden' }, t('rate')),
    [1, 2, 3, 4, 5].map((n) => h('label', { title: t('stars', { n }) }, h('input', { type: 'radio', name: 'rating', value: n, 'aria-label': t('stars', { n }) }), h('span', {}, String(n)))));
  const comment = h('textarea', { name: 'comment', maxlength: 2000 });
  const reason = h('textarea', { name: 'reason', maxlength: 2000 });
  const form = h('form', { class: 'card', id: 'feedback', onsubmit: (e) => e.preventDefault() });
  const act = async (action, data) => {
    const invalid = [];
    if (secret.value.trim().length < 8) invalid.push('caseSecret');
    if (action === 'feedback' && !(data.rating >= 1 && data.rating <= 5)) invalid.push('rating');
    if (action === 'appeal' && !data.reason) invalid.push('reason');
    markErrors(form, invalid);
    if (invalid.length) {
      message.className = 'error';
      message.textContent = t('fix');
      return;
    }
    const res = await api(`/grievances/track/${c.trackingCode}/${action}`, { method: 'POST', body: JSON.stringify({ data: { caseSecret: secret.value.trim(), ...data } }) });
    if (res.ok) {
      const text = action === 'feedback' ? t('thanks') : action === 'accept' ? t('accepted') : t('appealed');
      message.className = 'ok';
      message.textContent = text;
      announce(text);
      // Redraw with the new status, unless the citizen has gone elsewhere meanwhile.
      if (action !== 'feedback') setTimeout(() => { if (location.hash.startsWith(`#/track/${c.trackingCode}`)) route(); }, 1500);
      return;
    }
    message.className = 'error';
    const codeOf = res.body?.error?.details?.code;
    message.textContent = codeOf === 'NOT_ALLOWED' ? t('wrongSecret') : codeOf === 'VALIDATION' ? t('fix') : codeOf === 'RATE_LIMITED' ? t('tooMany', { s: res.retryAfter || 60 }) : codeOf ? t('notNow') : t('offline');
    markErrors(form, serverPaths(res));
  };
  form.append(...nodes([
    h('h2', {}, t('yourAnswer')),
    field('f-secret', t('caseSecret'), secret),
    h('p', { class: 'field' }, t('rate')), stars, h('p', { class: 'error', id: 'f-rating-error' }),
    field('f-comment', t('comment'), comment),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => act('feedback', { rating: Number(form.querySelector('input[name="rating"]:checked')?.value || 0), ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) }) }, t('sendRating'))),
    c.status === 'resolved' ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => act('accept', {}) }, t('accept'))) : null,
    field('f-reason', t('reason'), reason),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => act('appeal', { reason: reason.value.trim() }) }, t('sendAppeal'))),
    message,
  ]));
  if (focus) setTimeout(() => secret.focus(), 0);
  return form;
}

// ---------- Public figures ----------
function barChart(rows) {
  const width = 640;
  const height = 220;
  const pad = 28;
  const max = Math.max(1, ...rows.flatMap((r) => [r.received ?? 0, r.resolved ?? 0]));
  const slot = (width - pad * 2) / Math.max(rows.length, 1);
  const bar = Math.max(3, slot / 2 - 3);
  const y = (v) => height - pad - ((v ?? 0) / max) * (height - pad * 2);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${t('byMonth')}: ${rows.map((r) => `${r.month} ${r.received ?? t('fewer', { n: '' })}/${r.resolved ?? ''}`).join(', ')}`);
  const add = (tag, attrs, text) => {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text != null) el.textContent = text;
    svg.append(el);
  };
  add('line', { x1: pad, x2: width - pad, y1: height - pad, y2: height - pad, stroke: '#9aa0b4' });
  rows.forEach((r, i) => {
    const x = pad + i * slot + 2;
    add('rect', { class: 'received', x, y: y(r.received), width: bar, height: height - pad - y(r.received) });
    add('rect', { class: 'resolved', x: x + bar + 1, y: y(r.resolved), width: bar, height: height - pad - y(r.resolved) });
    if (rows.length <= 12 || i % 2 === 0) add('text', { x: x + bar, y: height - 10, 'text-anchor': 'middle' }, r.month.slice(2));
  });
  add('text', { x: pad, y: 14 }, String(max));
  return svg;
}

async function figuresView(code) {
  const show = painter();
  const list = await projects();
  const chosen = code || list[0]?.code;
  const select = h('select', { onchange: (e) => { location.hash = `#/figures/${e.target.value}`; } }, list.map((p) => option(p.code, p.name, p.code === chosen)));
  const res = chosen ? await api(`/public-metrics?project=${encodeURIComponent(chosen)}&locale=${lang}`) : null;
  const parts = [h('h1', {}, t('figuresTitle')), field('f-figures-project', t('project'), select)];
  if (!res?.ok) return show(...parts, h('p', { class: 'error' }, t('offline')));
  const { data, meta } = res.body;
  const n = (v) => (v === null ? t('fewer', { n: meta.smallCountThreshold }) : new Intl.NumberFormat(lang).format(v));
  const pct = (v) => (v == null ? t('none') : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(v));
  const days = (v) => (v == null ? t('none') : new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(v));
  const figure = (label, value) => h('div', { class: 'figure' }, h('b', {}, value), label);
  show(
    ...parts,
    h('p', { class: 'hint' }, `${t('period')}: ${when(data.period.from, false)} – ${when(new Date(Date.parse(data.period.to) - 1).toISOString(), false)}`),
    h('div', { class: 'figures', 'data-testid': 'figures' },
      figure(t('received'), n(data.received)), figure(t('resolved'), n(data.resolved)), figure(t('pending'), n(data.pending)), figure(t('escalated'), n(data.escalated)),
      figure(t('medianAck'), days(data.medianDaysToAcknowledge)), figure(t('medianResolve'), days(data.medianDaysToResolve)),
      figure(t('ackCompliance'), pct(data.acknowledgementCompliance)), figure(t('resCompliance'), pct(data.resolutionCompliance))),
    h('h2', {}, t('byMonth')),
    h('div', { class: 'legend' }, h('span', {}, t('received')), h('span', { class: 'resolved' }, t('resolved'))),
    barChart(data.byMonth),
    h('h2', {}, t('byCategory')),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('categoryColumn')), h('th', { class: 'num' }, t('received')), h('th', { class: 'num' }, t('resolved')))),
      h('tbody', {}, data.byCategory.map((c) => h('tr', {}, h('td', {}, c.name), h('td', { class: 'num' }, n(c.received)), h('td', { class: 'num' }, n(c.resolved)))))),
    h('h2', {}, t('byRegion')),
    h('table', {}, h('tbody', {}, data.byRegion.map((r) => h('tr', {}, h('td', {}, r.name), h('td', { class: 'num' }, n(r.received)), h('td', { class: 'num' }, n(r.resolved)))))),
    h('p', { class: 'hint' }, t('suppressed', { n: meta.smallCountThreshold })),
    await reportList(chosen)
  );
}

/** The project's published reports, latest version of each period. */
async function reportList(project) {
  const res = await api(`/public-reports?project=${encodeURIComponent(project)}`);
  const rows = res.ok ? res.body.data.filter((r) => r.latest) : [];
  return h('section', { 'aria-labelledby': 'reports-title' },
    h('h2', { id: 'reports-title' }, t('reports')),
    rows.length === 0 ? h('p', { class: 'hint' }, t('noReports')) : h('ul', { 'data-testid': 'reports' }, rows.map((r) => h('li', {},
      `${r.title} `,
      r.pdfUrl ? h('a', { href: r.pdfUrl }, 'PDF') : null, ' · ',
      r.xlsxUrl ? h('a', { href: r.xlsxUrl }, 'Excel') : null))));
}

// ---------- Router ----------
async function route() {
  navigation += 1;
  const [, view, arg, sub] = (location.hash || '#/').split('/');
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.getAttribute('href') === `#/${view}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (view === 'submit') return submitView();
  if (view === 'track') return trackView(arg ? decodeURIComponent(arg) : '', sub === 'feedback');
  if (view === 'figures') return figuresView(arg);
  return home();
}
window.addEventListener('hashchange', route);
applyLanguage();
route();
