// b24bridge control panel: the box's own lists for the settings' fields that name them. A route's lead source and
// any user (a route's default responsible, a task template's user, the callback's fallback) are picked from what
// the box has (GET /api/box/lead-sources, /api/box/users) instead of typed as ids. A value the box does not list
// is kept and shown as such; while the box cannot be asked the field stays a typed id, and the page says why.
'use strict';

Object.assign(I18N.ru, {
  'box.notListed': 'нет в списке Bitrix24', 'box.newSource': 'Новый источник (ввести код)…', 'box.ext': 'доб.',
  'box.typed': 'Списки Bitrix24 сейчас недоступны, источник лида и пользователи вводятся кодом и ID',
  'box.newHint': 'Код нового источника: его создаст appliance при сохранении'
});
Object.assign(I18N.en, {
  'box.notListed': 'not in the Bitrix24 list', 'box.newSource': 'New source (type its id)…', 'box.ext': 'ext.',
  'box.typed': 'The Bitrix24 lists cannot be read now: lead sources and users are typed as ids',
  'box.newHint': "The new source's id: the appliance creates it when the settings are saved"
});

const boxLists = { leadSources: null, users: null, error: null };
const NEW_SOURCE = '*new'; // never a source id (letters, digits, _)

// reads both lists; never waits more than 4 s (a box that hangs must not hold the settings page)
async function loadBoxLists() {
  let done = false;
  const read = Promise.all([api('GET', '/api/box/lead-sources'), api('GET', '/api/box/users')]).then(([s, u]) => {
    done = true;
    boxLists.leadSources = s.ok ? s.data.leadSources : null;
    boxLists.users = u.ok ? u.data.users : null;
    boxLists.error = !s.ok ? (s.data && s.data.error) || String(s.status)
      : !u.ok ? (u.data && u.data.error) || String(u.status) : null;
  });
  const late = new Promise((resolve) => setTimeout(() => {
    if (!done) boxLists.error = 'timeout';
    resolve();
  }, 4000));
  await Promise.race([read, late]);
}

// which list a settings field picks from, by its name
function pickKind(name) {
  if (name === 'leadSource') return 'source';
  if (typeof name === 'string' && /UserId$/.test(name)) return 'user';
  return null;
}

// a select of the box's list for the field, or null (not such a field, or the list could not be read: typed)
function boxPicker(name, value, set) {
  const kind = pickKind(name);
  const list = kind === 'source' ? boxLists.leadSources : kind === 'user' ? boxLists.users : null;
  if (!list) return null;
  const options = kind === 'source'
    ? list.map((s) => ({ value: s.id, text: s.name + ' (' + s.id + ')' }))
    : list.map((u) => ({ value: String(u.id), text: u.name + ' · ID ' + u.id
      + (u.extension ? ' · ' + t('box.ext') + ' ' + u.extension : '') }));
  const current = value === null || value === undefined ? '' : String(value);
  if (current && !options.some((o) => o.value === current)) {
    options.unshift({ value: current, text: current + ' — ' + t('box.notListed') });
  }
  const select = el('select', { 'data-picker': kind, onchange: (e) => {
    const v = e.target.value;
    if (v === NEW_SOURCE) {
      // a source the box does not have yet: typed; the appliance creates it on the box (LeadSourceCheck)
      const input = el('input', { type: 'text', placeholder: 'WEB_MSK', title: t('box.newHint'),
        oninput: (x) => set(x.target.value === '' ? null : x.target.value) });
      for (const a of select.attributes) if (a.name !== 'data-picker') input.setAttribute(a.name, a.value);
      select.replaceWith(input);
      input.focus();
      return;
    }
    set(v === '' ? null : kind === 'user' ? Number(v) : v);
  } }, el('option', { value: '', text: '—' }),
  options.map((o) => el('option', { value: o.value, selected: o.value === current, text: o.text })),
  kind === 'source' ? el('option', { value: NEW_SOURCE, text: t('box.newSource') }) : null);
  return select;
}

// the page's word on the lists when a section names a source or a user and the lists could not be read
function boxListsNote(shape) {
  const names = JSON.stringify(shape || {}).match(/"name":"[A-Za-z]*"/g) || [];
  const uses = names.some((n) => pickKind(n.slice(8, -1)));
  return el('p', { class: 'muted', id: 'box-lists-note', hidden: !(uses && boxLists.error),
    text: t('box.typed') + (boxLists.error ? ' (' + boxLists.error + ')' : '') });
}
