// b24bridge control panel: one page, no framework, nothing from outside the appliance (air-gapped).
// It is a client of the admin JSON API: the session cookie (HttpOnly, set by POST /api/session) goes by itself;
// every change carries the session's CSRF token in X-CSRF-Token, as the AdminGuard requires.
'use strict';

const I18N = {
  ru: {
    skip: 'Перейти к содержимому', sections: 'Разделы', logout: 'Выйти', otherLang: 'English',
    'nav.dashboard': 'Состояние', 'nav.calls': 'Звонки', 'nav.operators': 'Операторы', 'nav.settings': 'Настройки',
    'nav.users': 'Пользователи', 'nav.audit': 'Журнал аудита',
    'setup.title': 'Первый запуск: администратор', 'setup.hint': 'Одноразовый ключ лежит на устройстве в файле '
      + 'storage.dir/keys/setup-token (его путь напечатан при запуске).', 'setup.token': 'Ключ первого запуска',
    'setup.go': 'Создать администратора', 'setup.done': 'Администратор создан: войдите.',
    'login.title': 'Вход', 'login.name': 'Имя', 'login.password': 'Пароль', 'login.go': 'Войти',
    'login.failed': 'Неверное имя или пароль',
    'dash.title': 'Состояние', 'dash.updated': 'Обновлено', 'dash.outbox': 'Очередь в CRM', 'dash.pending': 'ждут',
    'dash.oldest': 'самая старая', 'dash.dead': 'не доставлены', 'dash.retry': 'Отправить снова',
    'dash.calls': 'Звонки за 24 часа', 'dash.lastCalls': 'Последние звонки', 'dash.parts': 'Части', 'dash.status': 'Итог',
    'dash.none': 'нет', 'dash.deadList': 'Недоставленные команды',
    'calls.title': 'Звонки', 'calls.since': 'С', 'calls.until': 'По', 'calls.number': 'Номер',
    'calls.operator': 'Оператор', 'calls.route': 'Маршрут', 'calls.apply': 'Показать', 'calls.csv': 'Скачать CSV',
    'calls.empty': 'Звонков за период нет', 'col.startedAt': 'Начало', 'col.direction': 'Направление',
    'col.clientNumber': 'Номер клиента', 'col.did': 'DID', 'col.route': 'Маршрут', 'col.operator': 'Оператор',
    'col.status': 'Статус', 'col.waitSeconds': 'Ожидание, с', 'col.talkSeconds': 'Разговор, с', 'col.vote': 'Оценка',
    'col.crm': 'В CRM', 'col.leadSource': 'Источник',
    'dir.inbound': 'входящий', 'dir.outbound': 'исходящий', 'st.answered': 'отвечен', 'st.missed': 'пропущен',
    'st.open': 'идёт', 'st.talking': 'разговор', 'st.ignored': 'не для CRM',
    'ops.title': 'Качество и нагрузка операторов', 'ops.offered': 'Поступило', 'ops.answered': 'Отвечено',
    'ops.missed': 'Пропущено', 'ops.rate': 'Доля ответов', 'ops.avgWait': 'Ср. ожидание, с', 'ops.talk': 'Разговор, мин',
    'ops.avgVote': 'Ср. оценка', 'ops.votes': 'Оценки 1–5', 'ops.byHour': 'Звонки по часам суток',
    'ops.byDay': 'Звонки по дням недели', 'ops.operator': 'Оператор', 'ops.byRoute': 'По маршрутам',
    'days': 'Пн,Вт,Ср,Чт,Пт,Сб,Вс',
    'set.title': 'Настройки', 'set.version': 'Версия', 'set.save': 'Сохранить', 'set.saved': 'Сохранено: версия',
    'set.invalid': 'Не сохранено: исправьте отмеченные поля', 'set.add': 'Добавить', 'set.remove': 'Удалить',
    'set.versions': 'Версии', 'set.diff': 'Изменения версии', 'set.restore': 'Восстановить эту версию',
    'set.restored': 'Восстановлено как версия', 'set.readonly': 'Только просмотр: менять настройки может администратор.',
    'set.field': 'Поле', 'set.from': 'Было', 'set.to': 'Стало', 'set.by': 'кто', 'set.conflict':
      'Настройки изменил кто-то другой: страница обновлена, повторите правку.', 'set.item': 'Элемент',
    'set.pruned': 'Предыдущая версия удалена по сроку хранения: изменения неизвестны.',
    'sec.inbound-routes': 'Входящие маршруты', 'sec.outbound-routes': 'Исходящие маршруты',
    'sec.click-to-call': 'Звонок из CRM', 'sec.callback': 'Обратный звонок', 'sec.call-data': 'Данные звонка',
    'sec.task-templates': 'Шаблоны задач', 'sec.exceptions': 'Исключения', 'sec.routing': 'Маршрутизация',
    'users.title': 'Пользователи', 'users.name': 'Имя', 'users.role': 'Роль', 'users.password': 'Пароль',
    'users.create': 'Создать', 'users.disabled': 'Отключён', 'users.delete': 'Удалить', 'users.enable': 'Включить',
    'users.disable': 'Отключить', 'role.admin': 'администратор', 'role.viewer': 'наблюдатель', 'users.created': 'Создан', 'users.confirm': 'Удалить учётную запись',
    'audit.title': 'Журнал аудита', 'audit.actor': 'Кто', 'audit.action': 'Действие', 'audit.outcome': 'Итог',
    'audit.at': 'Когда', 'audit.target': 'Над чем', 'audit.detail': 'Подробности', 'audit.address': 'Адрес',
    'any': 'все', 'default': 'по умолчанию', 'yes': 'да', 'no': 'нет', 'error': 'Ошибка', 'forbidden': 'Недостаточно прав',
    'loading': 'Загрузка…'
  },
  en: {
    skip: 'Skip to content', sections: 'Sections', logout: 'Sign out', otherLang: 'Русский',
    'nav.dashboard': 'Dashboard', 'nav.calls': 'Calls', 'nav.operators': 'Operators', 'nav.settings': 'Settings',
    'nav.users': 'Users', 'nav.audit': 'Audit log',
    'setup.title': 'First run: the administrator', 'setup.hint': 'The one-time token is on the appliance in '
      + 'storage.dir/keys/setup-token (its path is printed at start).', 'setup.token': 'Setup token',
    'setup.go': 'Create the administrator', 'setup.done': 'The administrator exists: sign in.',
    'login.title': 'Sign in', 'login.name': 'Name', 'login.password': 'Password', 'login.go': 'Sign in',
    'login.failed': 'Wrong name or password',
    'dash.title': 'Dashboard', 'dash.updated': 'Updated', 'dash.outbox': 'Outbox to the CRM', 'dash.pending': 'waiting',
    'dash.oldest': 'oldest', 'dash.dead': 'dead letters', 'dash.retry': 'Send again',
    'dash.calls': 'Calls in 24 hours', 'dash.lastCalls': 'Latest calls', 'dash.parts': 'Parts', 'dash.status': 'Overall',
    'dash.none': 'none', 'dash.deadList': 'Dead letters',
    'calls.title': 'Calls', 'calls.since': 'From', 'calls.until': 'To', 'calls.number': 'Number',
    'calls.operator': 'Operator', 'calls.route': 'Route', 'calls.apply': 'Show', 'calls.csv': 'Download CSV',
    'calls.empty': 'No calls in the period', 'col.startedAt': 'Started', 'col.direction': 'Direction',
    'col.clientNumber': 'Client number', 'col.did': 'DID', 'col.route': 'Route', 'col.operator': 'Operator',
    'col.status': 'Status', 'col.waitSeconds': 'Wait, s', 'col.talkSeconds': 'Talk, s', 'col.vote': 'Rating',
    'col.crm': 'In the CRM', 'col.leadSource': 'Lead source',
    'dir.inbound': 'inbound', 'dir.outbound': 'outbound', 'st.answered': 'answered', 'st.missed': 'missed',
    'st.open': 'going on', 'st.talking': 'talking', 'st.ignored': 'not for the CRM',
    'ops.title': "Operators' quality and load", 'ops.offered': 'Offered', 'ops.answered': 'Answered',
    'ops.missed': 'Missed', 'ops.rate': 'Answer rate', 'ops.avgWait': 'Avg wait, s', 'ops.talk': 'Talk, min',
    'ops.avgVote': 'Avg rating', 'ops.votes': 'Ratings 1–5', 'ops.byHour': 'Calls per hour of the day',
    'ops.byDay': 'Calls per day of the week', 'ops.operator': 'Operator', 'ops.byRoute': 'Per route',
    'days': 'Mon,Tue,Wed,Thu,Fri,Sat,Sun',
    'set.title': 'Settings', 'set.version': 'Version', 'set.save': 'Save', 'set.saved': 'Saved: version',
    'set.invalid': 'Not saved: correct the marked fields', 'set.add': 'Add', 'set.remove': 'Remove',
    'set.versions': 'Versions', 'set.diff': 'Changes of version', 'set.restore': 'Restore this version',
    'set.restored': 'Restored as version', 'set.readonly': 'View only: an administrator changes the settings.',
    'set.field': 'Field', 'set.from': 'Before', 'set.to': 'After', 'set.by': 'by', 'set.conflict':
      'Someone else changed the settings: the page was reloaded, make your change again.', 'set.item': 'Item',
    'set.pruned': 'The version before was removed by the retention: what changed is unknown.',
    'sec.inbound-routes': 'Inbound routes', 'sec.outbound-routes': 'Outbound routes',
    'sec.click-to-call': 'Click-to-call', 'sec.callback': 'Callback', 'sec.call-data': 'Call data',
    'sec.task-templates': 'Task templates', 'sec.exceptions': 'Exceptions', 'sec.routing': 'Routing',
    'users.title': 'Users', 'users.name': 'Name', 'users.role': 'Role', 'users.password': 'Password',
    'users.create': 'Create', 'users.disabled': 'Disabled', 'users.delete': 'Delete', 'users.enable': 'Enable',
    'users.disable': 'Disable', 'role.admin': 'administrator', 'role.viewer': 'viewer', 'users.created': 'Created', 'users.confirm': 'Delete the account',
    'audit.title': 'Audit log', 'audit.actor': 'Who', 'audit.action': 'Action', 'audit.outcome': 'Outcome',
    'audit.at': 'When', 'audit.target': 'On what', 'audit.detail': 'Detail', 'audit.address': 'Address',
    'any': 'any', 'default': 'default', 'yes': 'yes', 'no': 'no', 'error': 'Error', 'forbidden': 'Not allowed',
    'loading': 'Loading…'
  }
};

// the settings' field names, for the generated forms (a field missing here shows its own name)
const FIELDS = {
  ru: { routes: 'Маршруты', did: 'DID (номер или шаблон)', name: 'Название', leadSource: 'Источник лида',
    defaultResponsibleUserId: 'Ответственный по умолчанию', crmCreate: 'Создавать лид',
    fallback: 'Если не ответили', forwardToMobile: 'Переадресация на мобильный', showCardTo: 'Кому показывать карточку',
    routeToResponsible: 'Направлять ответственному', unknownCallers: 'Неизвестные звонящие',
    offerRating: 'Предлагать оценку', type: 'Тип', value: 'Значение', prefix: 'Префикс', trunk: 'Транк',
    lineNumber: 'Номер линии', enabled: 'Включено', originateContext: 'Контекст набора', callerId: 'Caller ID',
    operatorRingTimeoutSeconds: 'Звонить оператору, с', clientRingTimeoutSeconds: 'Звонить клиенту, с',
    target: 'Кто принимает', retries: 'Повторы', retryIntervalSeconds: 'Пауза между попытками, с',
    showCard: 'Показывать карточку', addToChat: 'Писать в чат', numberFormat: 'Формат номера',
    countryCode: 'Код страны', nationalPrefix: 'Национальный префикс', areaCode: 'Код города',
    uploadRecordings: 'Загружать записи', recordingMode: 'Способ передачи записи', recordingBaseUrl: 'Адрес записей',
    trackInternalCalls: 'Учитывать внутренние звонки', templates: 'Шаблоны', id: 'Ключ', title: 'Заголовок',
    description: 'Описание', deadlineOffsetMinutes: 'Срок, мин', responsibleRule: 'Ответственный',
    fixedUserId: 'Пользователь', entityTypes: 'Типы сущностей CRM', ignoreNumbers: 'Не учитывать номера',
    ignoreExtensions: 'Не учитывать внутренние номера', deadlineMs: 'Предел ответа маршрутизации, мс',
    cacheTtlSeconds: 'Кэш ответов CRM, с', negativeTtlSeconds: 'Кэш «не найден», с',
    responsibleRingSeconds: 'Звонить ответственному, с', mobileRingSeconds: 'Звонить на мобильный, с',
    fallbackRingSeconds: 'Звонить запасному, с', extensionDial: 'Набор внутреннего', mobileDial: 'Набор мобильного',
    mobileTrunk: 'Транк для мобильных', mobileCallerId: 'Caller ID на мобильный', queueDial: 'Набор очереди',
    ringGroupDial: 'Набор группы', skipClosedWorkday: 'Пропускать закончивших рабочий день',
    mobileField: 'Поле мобильного в Bitrix24', ratingPrompt: 'Запись для оценки', ratingKeySeconds: 'Ждать цифру, с',
    ratingWaitSeconds: 'Ждать оценку, с', dialTrunks: 'Транки набора' },
  en: {}
};

// ---------- small helpers ----------
let lang = localStorage.getItem('b24lang') === 'en' ? 'en' : 'ru';
const t = (k) => (I18N[lang][k] !== undefined ? I18N[lang][k] : k);
const fieldLabel = (n) => FIELDS[lang][n] || n.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
let me = null; // {name, role, csrfToken}
let timer = null;
let uid = 0;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) e.append(kid instanceof Node ? kid : String(kid));
  return e;
}
const svgEl = (tag, attrs) => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

async function api(method, path, body, headers) {
  const h = Object.assign({}, headers || {});
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (method !== 'GET' && me && me.csrfToken) h['X-CSRF-Token'] = me.csrfToken;
  const r = await fetch(path, { method, headers: h, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  return { status: r.status, ok: r.ok, data, etag: r.headers.get('ETag') };
}

function notice(text, bad) {
  const n = document.getElementById('notice');
  n.textContent = text || '';
  n.className = bad ? 'bad' : '';
}
const fail = (r) => notice(t('error') + ' ' + r.status + ': ' + ((r.data && r.data.error) || ''), true);
const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB') : '');
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
const isAdmin = () => me && me.role === 'admin';

function field(labelText, control, errorId) {
  const id = control.id || ('f' + (++uid));
  control.id = id;
  return el('div', { class: 'field' }, el('label', { for: id, text: labelText }),
    el('div', {}, control, errorId ? el('span', { class: 'error', id: errorId }) : null));
}

// ---------- shell: language, navigation, routing ----------
function applyLanguage() {
  document.documentElement.lang = lang;
  document.getElementById('skip').textContent = t('skip');
  document.getElementById('nav').setAttribute('aria-label', t('sections'));
  const b = document.getElementById('lang');
  b.textContent = t('otherLang');
  b.setAttribute('lang', lang === 'ru' ? 'en' : 'ru');
  document.getElementById('logout').textContent = t('logout');
}

// by name: a page may live in another of the panel's files (loaded after this one)
const PAGES = ['dashboard', 'calls', 'operators', 'settings', 'users', 'audit'];

function drawNav() {
  const nav = document.getElementById('nav');
  nav.replaceChildren();
  if (!me) return;
  const page = location.hash.replace(/^#\/?/, '').split('?')[0] || 'dashboard';
  for (const p of PAGES) {
    if ((p === 'users' || p === 'audit') && !isAdmin()) continue;
    nav.append(el('a', { href: '#/' + p, id: 'nav-' + p, 'aria-current': p === page ? 'page' : null, text: t('nav.' + p) }));
  }
  document.getElementById('who').textContent = me.name + ' (' + t('role.' + me.role) + ')';
  document.getElementById('logout').hidden = false;
}

async function route() {
  if (timer) { clearInterval(timer); timer = null; }
  notice('');
  const main = document.getElementById('main');
  const setup = await api('GET', '/api/setup');
  if (setup.ok && setup.data.needed) { me = null; drawNav(); return setupPage(main); }
  if (!me) {
    const s = await api('GET', '/api/session');
    if (!s.ok) { drawNav(); return loginPage(main); }
    me = s.data;
  }
  drawNav();
  const page = location.hash.replace(/^#\/?/, '').split('?')[0] || 'dashboard';
  main.replaceChildren(el('p', { text: t('loading') }));
  await window[PAGES.includes(page) ? page : 'dashboard'](main);
}

// ---------- first run and sign-in ----------
function setupPage(main) {
  const token = el('input', { id: 'setup-token', autocomplete: 'off', required: true });
  const name = el('input', { id: 'setup-name', value: 'admin', autocomplete: 'username', required: true });
  const pw = el('input', { id: 'setup-password', type: 'password', autocomplete: 'new-password', required: true });
  const form = el('form', { class: 'login', onsubmit: async (ev) => {
    ev.preventDefault();
    const r = await api('POST', '/api/setup', { setupToken: token.value.trim(), name: name.value, password: pw.value });
    if (!r.ok) return fail(r);
    route().then(() => notice(t('setup.done')));
  } }, el('h1', { text: t('setup.title') }), el('p', { class: 'muted', text: t('setup.hint') }),
  field(t('setup.token'), token), field(t('login.name'), name), field(t('login.password'), pw),
  el('button', { type: 'submit', id: 'setup-go', text: t('setup.go') }));
  main.replaceChildren(form);
  token.focus();
}

function loginPage(main) {
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  const name = el('input', { id: 'login-name', autocomplete: 'username', required: true });
  const pw = el('input', { id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const form = el('form', { class: 'login', onsubmit: async (ev) => {
    ev.preventDefault();
    const r = await api('POST', '/api/session', { name: name.value, password: pw.value });
    if (!r.ok) return r.status === 401 ? notice(t('login.failed'), true) : fail(r);
    me = r.data;
    if (!location.hash || location.hash === '#/') location.hash = '#/dashboard'; else route();
  } }, el('h1', { text: t('login.title') }), field(t('login.name'), name), field(t('login.password'), pw),
  el('button', { type: 'submit', id: 'login-go', text: t('login.go') }));
  main.replaceChildren(form);
  name.focus();
}

// ---------- dashboard ----------
function dl(facts) {
  const d = el('dl');
  for (const [k, v] of Object.entries(facts || {})) {
    d.append(el('dt', { text: k }), el('dd', { text: typeof v === 'object' ? JSON.stringify(v) : String(v) }));
  }
  return d;
}

async function dashboard(main) {
  const box = el('div', { id: 'dashboard' });
  main.replaceChildren(el('h1', { text: t('dash.title') }), box);
  const draw = async () => {
    const [h, o, c, dead] = await Promise.all([api('GET', '/health'), api('GET', '/api/outbox'),
      api('GET', '/api/calls?since=' + encodeURIComponent(new Date(Date.now() - 86400000).toISOString()) + '&limit=1000'), api('GET', '/api/outbox/dead')]);
    if (!document.body.contains(box)) return;
    const cards = el('div', { class: 'cards' });
    if (h.data && h.data.parts) {
      cards.append(el('section', { class: 'card', id: 'card-status' }, el('h2', {}, t('dash.status'),
        el('span', { class: 'state state-' + h.data.status, text: h.data.status })),
      dl({ version: h.data.version, uptime: h.data.uptimeSeconds + ' s' })));
    }
    if (o.ok) {
      cards.append(el('section', { class: 'card', id: 'card-outbox' }, el('h2', { text: t('dash.outbox') }),
        el('dl', {}, el('dt', { text: t('dash.pending') }), el('dd', { id: 'outbox-pending', text: o.data.pending + o.data.sending }),
          el('dt', { text: t('dash.oldest') }), el('dd', { text: o.data.oldestWaiting ? fmtTime(o.data.oldestWaiting) : t('dash.none') }),
          el('dt', { text: t('dash.dead') }), el('dd', { id: 'outbox-dead', text: o.data.dead }))));
    }
    if (c.ok) {
      const calls = c.data.calls;
      cards.append(el('section', { class: 'card', id: 'card-calls' }, el('h2', { text: t('dash.calls') }),
        el('div', { class: 'big', id: 'calls-today', text: calls.length }),
        el('dl', {}, el('dt', { text: t('st.answered') }), el('dd', { text: calls.filter((x) => x.status === 'answered').length }),
          el('dt', { text: t('st.missed') }), el('dd', { text: calls.filter((x) => x.status === 'missed').length }))));
    }
    if (h.data && h.data.parts) {
      for (const [name, part] of Object.entries(h.data.parts)) {
        cards.append(el('section', { class: 'card', 'data-part': name }, el('h2', {}, name,
          el('span', { class: 'state state-' + part.state, text: part.state })),
        part.detail ? el('p', { class: 'muted', text: part.detail }) : null, dl(part.facts)));
      }
    }
    const kids = [cards];
    if (c.ok && c.data.calls.length) {
      kids.push(el('h2', { text: t('dash.lastCalls') }), callsTable(c.data.calls.slice(0, 8), 'dash-calls'));
    }
    if (dead.ok && dead.data.length) {
      kids.push(el('h2', { text: t('dash.deadList') }), el('table', {}, el('tr', {}, ['id', 'call', 'kind', 'error', ''].map((x) => el('th', { text: x }))),
        dead.data.slice(0, 20).map((d) => el('tr', {}, el('td', { text: d.id }), el('td', { text: d.call }),
          el('td', { text: d.kind }), el('td', { text: d.error || '' }), el('td', {}, isAdmin() ? el('button', {
            type: 'button', class: 'secondary', text: t('dash.retry'), onclick: async () => {
              const r = await api('POST', '/api/outbox/dead/' + d.id + '/retry');
              if (!r.ok) fail(r); else draw();
            } }) : null)))));
    }
    kids.push(el('p', { class: 'muted', id: 'dash-updated', text: t('dash.updated') + ': ' + new Date().toLocaleTimeString() }));
    box.replaceChildren(...kids);
  };
  await draw();
  timer = setInterval(draw, 5000); // live: polled, the page is not reloaded
}

// ---------- operators' quality and load ----------
function barChart(id, title, labels, values, w) {
  const h = 200, pad = 24, max = Math.max(1, ...values), bw = (w - pad) / values.length;
  const svg = svgEl('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-labelledby': id + '-t' });
  const tt = svgEl('title', { id: id + '-t' });
  tt.textContent = title + ': ' + labels.map((l, i) => l + ' — ' + values[i]).join(', ');
  svg.append(tt);
  values.forEach((v, i) => {
    const bh = (h - 2 * pad) * v / max;
    svg.append(svgEl('rect', { class: 'bar', x: pad + i * bw + 2, y: h - pad - bh, width: Math.max(1, bw - 4), height: bh }));
    const lt = svgEl('text', { x: pad + i * bw + bw / 2, y: h - 8, 'text-anchor': 'middle' });
    lt.textContent = labels[i];
    svg.append(lt);
    if (v) {
      const vt = svgEl('text', { x: pad + i * bw + bw / 2, y: h - pad - bh - 3, 'text-anchor': 'middle' });
      vt.textContent = v;
      svg.append(vt);
    }
  });
  return el('figure', { class: 'chart', id }, el('figcaption', { text: title }), svg);
}

function figures(rows, keyOf) {
  const by = new Map();
  for (const r of rows) {
    if (r.status === 'ignored') continue;
    const k = keyOf(r) || '—';
    if (!by.has(k)) by.set(k, { key: k, offered: 0, answered: 0, missed: 0, wait: 0, waitN: 0, talk: 0, votes: [0, 0, 0, 0, 0] });
    const s = by.get(k);
    s.offered++;
    if (r.status === 'answered') s.answered++;
    if (r.status === 'missed') s.missed++;
    if (r.waitSeconds !== null && r.waitSeconds !== undefined) { s.wait += r.waitSeconds; s.waitN++; }
    s.talk += r.talkSeconds || 0;
    if (r.vote >= 1 && r.vote <= 5) s.votes[r.vote - 1]++;
  }
  return [...by.values()].sort((a, b) => String(a.key).localeCompare(String(b.key)));
}

function figuresTable(id, first, list) {
  const cols = [first, 'ops.offered', 'ops.answered', 'ops.missed', 'ops.rate', 'ops.avgWait', 'ops.talk', 'ops.avgVote', 'ops.votes'];
  return el('table', { id }, el('thead', {}, el('tr', {}, cols.map((c, i) => el('th', { scope: 'col', class: i ? 'num' : null, text: t(c) })))),
    el('tbody', {}, list.map((s) => {
      const n = s.votes.reduce((a, b) => a + b, 0);
      const avg = n ? (s.votes.reduce((a, v, i) => a + v * (i + 1), 0) / n).toFixed(2) : '';
      return el('tr', { 'data-key': s.key }, el('th', { scope: 'row', text: s.key }),
        [s.offered, s.answered, s.missed, s.offered ? Math.round(100 * s.answered / s.offered) + ' %' : '',
          s.waitN ? Math.round(s.wait / s.waitN) : '', (s.talk / 60).toFixed(1), avg, s.votes.join(' / ')]
          .map((v) => el('td', { class: 'num', text: v })));
    })));
}

async function operators(main) {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const since = el('input', { type: 'date', id: 'ops-since', value: q.get('since') || daysAgo(30) });
  const until = el('input', { type: 'date', id: 'ops-until', value: q.get('until') || today() });
  const form = el('form', { class: 'filters', onsubmit: (ev) => { ev.preventDefault(); location.hash = '#/operators?since=' + since.value + '&until=' + until.value; } },
    el('label', { for: since.id }, t('calls.since'), since), el('label', { for: until.id }, t('calls.until'), until),
    el('button', { type: 'submit', id: 'ops-apply', text: t('calls.apply') }));
  const r = await api('GET', '/api/calls?since=' + since.value + '&until=' + until.value + '&limit=5000');
  if (!r.ok) { main.replaceChildren(form); return fail(r); }
  const rows = r.data.calls.filter((x) => x.direction === 'inbound');
  const hours = new Array(24).fill(0), days = new Array(7).fill(0);
  for (const x of r.data.calls) {
    const d = new Date(x.startedAt);
    hours[d.getHours()]++;
    days[(d.getDay() + 6) % 7]++;
  }
  main.replaceChildren(el('h1', { text: t('ops.title') }), form,
    figuresTable('ops-table', 'ops.operator', figures(rows, (x) => x.operator)),
    el('h2', { text: t('ops.byRoute') }), figuresTable('ops-routes', 'col.route', figures(rows, (x) => x.route || x.did)),
    el('div', { class: 'charts' }, barChart('chart-hours', t('ops.byHour'), hours.map((_, i) => String(i)), hours, 720),
      barChart('chart-days', t('ops.byDay'), t('days').split(','), days, 360)));
}

// ---------- settings: forms generated from the sections' shapes ----------
function blank(shape) {
  if (shape.kind === 'object') return Object.fromEntries(shape.fields.map((f) => [f.name, blank(f)]));
  return null; // a value left empty is the appliance's default for it
}

// an object whose every value is empty is sent as nothing (null): the appliance fills in its default (a route's
// fallback, say) instead of refusing a half-made one
function prune(v, top) {
  if (Array.isArray(v)) return v.map((x) => prune(x, false));
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = prune(x, false);
    return !top && Object.values(out).every((x) => x === null) ? null : out;
  }
  return v;
}

function formFor(shape, model, path, label, readonly, redraw) {
  // model is {obj, key}: the value lives in model.obj[model.key]
  const value = model.obj[model.key];
  const set = (v) => { model.obj[model.key] = v; };
  const errId = 'err-' + path.replace(/[^A-Za-z0-9]/g, '_');
  if (shape.kind === 'object') {
    const v = value || blank(shape);
    set(v);
    const fs = el('fieldset', { 'data-path': path }, label ? el('legend', { text: label }) : null);
    for (const f of shape.fields) {
      fs.append(formFor(f, { obj: v, key: f.name }, path ? path + '.' + f.name : f.name, fieldLabel(f.name), readonly, redraw));
    }
    fs.append(el('span', { class: 'error', id: errId }));
    return fs;
  }
  if (shape.kind === 'list') {
    // a list never touched stays unset (null): the appliance's default (a template's entity types, say)
    const list = Array.isArray(value) ? value : [];
    const fs = el('fieldset', { 'data-path': path }, el('legend', { text: label }));
    list.forEach((item, i) => {
      const p = path + '[' + i + ']';
      const box = el('div', { class: 'item' }, formFor(shape.item, { obj: list, key: i }, p,
        shape.item.kind === 'object' ? t('set.item') + ' ' + (i + 1) : label + ' ' + (i + 1), readonly, redraw));
      if (!readonly) {
        box.append(el('button', { type: 'button', class: 'danger', text: t('set.remove') + ' ' + (i + 1),
          'aria-label': t('set.remove') + ': ' + label + ' ' + (i + 1), onclick: () => { list.splice(i, 1); redraw(); } }));
      }
      fs.append(box);
    });
    if (!readonly) {
      fs.append(el('button', { type: 'button', class: 'secondary', 'data-add': path, text: t('set.add') + ': ' + label,
        onclick: () => { list.push(blank(shape.item)); set(list); redraw(); } }));
    }
    fs.append(el('span', { class: 'error', id: errId }));
    return fs;
  }
  // a lead source or a user is picked from the box's own lists when they could be read (panel-box.js)
  let control = boxPicker(model.key, value, set);
  if (control) {
    // picked
  } else if (shape.kind === 'boolean') {
    // yes / no / the default: a checkbox could not tell "not set" (the appliance's default) from "no"
    control = el('select', { onchange: (e) => set(e.target.value === '' ? null : e.target.value === 'true') },
      el('option', { value: '', text: t('default') }), el('option', { value: 'true', selected: value === true, text: t('yes') }),
      el('option', { value: 'false', selected: value === false, text: t('no') }));
  } else if (shape.kind === 'enum') {
    control = el('select', { onchange: (e) => set(e.target.value || null) }, el('option', { value: '', text: '—' }),
      shape.values.map((x) => el('option', { value: x, selected: x === value, text: x })));
  } else if (shape.kind === 'number') {
    control = el('input', { type: 'number', value: value === null || value === undefined ? '' : value,
      oninput: (e) => set(e.target.value === '' ? null : Number(e.target.value)) });
  } else if (model.key === 'description') {
    control = el('textarea', { oninput: (e) => set(e.target.value) }, value || '');
  } else {
    control = el('input', { type: 'text', value: value === null || value === undefined ? '' : value,
      oninput: (e) => set(e.target.value === '' ? null : e.target.value) });
  }
  control.setAttribute('data-path', path);
  control.setAttribute('name', path);
  control.setAttribute('aria-describedby', errId);
  if (readonly) control.disabled = true;
  return field(label, control, errId);
}

function showErrors(container, errors) {
  for (const e of errors) {
    const id = 'err-' + e.field.replace(/[^A-Za-z0-9]/g, '_');
    let span = container.querySelector('#' + CSS.escape(id));
    const control = container.querySelector('[data-path="' + CSS.escape(e.field) + '"]:not(fieldset)');
    if (!span) span = container.querySelector('#err-');
    if (span) span.textContent = (span.textContent ? span.textContent + '; ' : '') + e.reason;
    if (control) control.setAttribute('aria-invalid', 'true');
  }
  const first = container.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

// a change of a whole list item or object (added, removed) is shown field by field, as the rest
function leaves(v, path, out) {
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) leaves(x, Array.isArray(v) ? path + '[' + k + ']' : path + '.' + k, out);
  } else if (v !== null && v !== undefined) {
    out[path] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function expand(raw) {
  // the API leaves out an empty side (an item added or removed)
  const c = { field: raw.field, from: raw.from === undefined ? null : raw.from, to: raw.to === undefined ? null : raw.to };
  const parse = (x) => { try { return typeof x === 'string' && /^[[{]/.test(x) ? JSON.parse(x) : undefined; } catch (e) { return undefined; } };
  const a = parse(c.from), b = parse(c.to);
  if ((a === undefined && c.from !== null) || (b === undefined && c.to !== null)) return [c];
  const from = leaves(a, c.field, {}), to = leaves(b, c.field, {});
  return [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .map((f) => ({ field: f, from: from[f] === undefined ? null : from[f], to: to[f] === undefined ? null : to[f] }));
}

async function settings(main) {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const [schema, all, versions] = await Promise.all([api('GET', '/api/settings-meta/schema'), api('GET', '/api/settings'),
    api('GET', '/api/settings-meta/versions'), loadBoxLists()]);
  if (!schema.ok || !all.ok) return fail(schema.ok ? all : schema);
  const order = ['inbound-routes', 'outbound-routes', 'click-to-call', 'callback', 'call-data', 'task-templates',
    'exceptions', 'routing'];
  const keys = order.filter((k) => k in schema.data).concat(Object.keys(schema.data).filter((k) => !order.includes(k)));
  const section = keys.includes(q.get('section')) ? q.get('section') : keys[0];
  const tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': t('set.title') }, keys.map((k) => el('button', {
    type: 'button', role: 'tab', id: 'tab-' + k, 'aria-selected': k === section ? 'true' : 'false',
    onclick: () => { location.hash = '#/settings?section=' + k; }, text: t('sec.' + k) })));
  const model = { value: JSON.parse(JSON.stringify(all.data.sections[section])) };
  const readonly = !isAdmin();
  const formBox = el('div', { role: 'tabpanel', 'aria-labelledby': 'tab-' + section });
  const redraw = () => {
    formBox.replaceChildren(formFor(schema.data[section], { obj: model, key: 'value' }, '', t('sec.' + section), readonly, redraw));
  };
  redraw();
  const form = el('form', { id: 'settings-form', onsubmit: async (ev) => {
    ev.preventDefault();
    formBox.querySelectorAll('.error').forEach((x) => { x.textContent = ''; });
    formBox.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    const r = await api('PUT', '/api/settings/' + section, prune(model.value, true), { 'If-Match': all.etag || '' });
    if (r.status === 400 && r.data && r.data.errors) { notice(t('set.invalid'), true); return showErrors(formBox, r.data.errors); }
    if (r.status === 409) { await settings(main); return notice(t('set.conflict'), true); }
    if (!r.ok) return fail(r);
    await settings(main);
    notice(t('set.saved') + ' ' + String(r.etag || '').replace(/"/g, ''));
  } }, formBox, readonly ? el('p', { class: 'readonly', id: 'settings-readonly', text: t('set.readonly') })
    : el('button', { type: 'submit', id: 'settings-save', text: t('set.save') }));
  const side = el('aside', { 'aria-labelledby': 'versions-h' }, el('h2', { id: 'versions-h', text: t('set.versions') }),
    el('ul', { id: 'versions' }, (versions.ok ? versions.data.versions : []).map((v) => el('li', {},
      el('a', { href: '#/settings?section=' + section + '&version=' + v.version, 'data-version': v.version,
        text: '#' + v.version }), ' ' + fmtTime(v.changedAt) + ' ' + t('set.by') + ' ' + (v.changedBy || '—') + ' · '
        + v.sections.map((s) => t('sec.' + s)).join(', ')))));
  const detail = el('div', { id: 'version-detail' });
  if (q.get('version')) {
    const v = await api('GET', '/api/settings-meta/versions/' + encodeURIComponent(q.get('version')));
    if (v.ok) {
      detail.append(el('h2', { text: t('set.diff') + ' #' + v.data.version }),
        el('p', { class: 'muted', hidden: !v.data.previousPruned, text: t('set.pruned') }),
        el('table', { class: 'diff', id: 'diff' },
          el('tr', {}, el('th', { text: t('set.field') }), el('th', { text: t('set.from') }), el('th', { text: t('set.to') })),
          v.data.changes.flatMap(expand).map((c) => el('tr', {}, el('td', { text: c.field }),
            el('td', { text: c.from === null ? '' : c.from }), el('td', { text: c.to === null ? '' : c.to })))));
      if (!readonly) {
        detail.append(el('button', { type: 'button', class: 'secondary', id: 'version-restore', text: t('set.restore'),
          onclick: async () => {
            const r = await api('POST', '/api/settings-meta/versions/' + v.data.version + '/restore');
            if (r.status === 400 && r.data.errors) return notice(t('set.invalid') + ': ' + r.data.errors.map((e) => e.field + ' ' + e.reason).join('; '), true);
            if (!r.ok) return fail(r);
            location.hash = '#/settings?section=' + section;
            setTimeout(() => notice(t('set.restored') + ' ' + r.data.version), 100);
          } }));
      }
    }
  }
  side.append(detail);
  main.replaceChildren(el('h1', {}, t('set.title') + ' ', el('span', { class: 'muted', id: 'settings-version',
    text: t('set.version') + ' ' + all.data.version })), tabs, boxListsNote(schema.data[section]),
  el('div', { class: 'split' }, form, side));
}

// ---------- users and audit (administrators) ----------
async function users(main) {
  const r = await api('GET', '/api/accounts');
  if (!r.ok) return r.status === 403 ? notice(t('forbidden'), true) : fail(r);
  const name = el('input', { id: 'user-name', required: true, autocomplete: 'off' });
  const role = el('select', { id: 'user-role' }, ['viewer', 'admin'].map((x) => el('option', { value: x, text: t('role.' + x) })));
  const pw = el('input', { id: 'user-password', type: 'password', autocomplete: 'new-password', required: true });
  const form = el('form', { class: 'filters', onsubmit: async (ev) => {
    ev.preventDefault();
    const c = await api('POST', '/api/accounts', { name: name.value, role: role.value, password: pw.value });
    if (!c.ok) return fail(c);
    await users(main);
    notice(t('users.created') + ': ' + c.data.name);
  } }, el('label', { for: name.id }, t('users.name'), name), el('label', { for: role.id }, t('users.role'), role),
  el('label', { for: pw.id }, t('users.password'), pw), el('button', { type: 'submit', id: 'user-create', text: t('users.create') }));
  const act = async (method, path, body) => { const x = await api(method, path, body); if (!x.ok) fail(x); else users(main); };
  main.replaceChildren(el('h1', { text: t('users.title') }), form, el('table', { id: 'users-table' },
    el('tr', {}, ['users.name', 'users.role', 'users.disabled', 'users.created', ''].map((c) => el('th', { scope: 'col', text: c ? t(c) : '' }))),
    r.data.map((a) => el('tr', { 'data-account': a.name }, el('td', { text: a.name }), el('td', { text: t('role.' + a.role) }),
      el('td', { text: a.disabled ? t('yes') : t('no') }), el('td', { text: fmtTime(a.createdAt) }),
      el('td', {}, el('button', { type: 'button', class: 'secondary', text: a.disabled ? t('users.enable') : t('users.disable'),
        onclick: () => act('PUT', '/api/accounts/' + encodeURIComponent(a.name), { disabled: !a.disabled }) }), ' ',
      el('button', { type: 'button', class: 'danger', text: t('users.delete'), 'aria-label': t('users.delete') + ' ' + a.name,
        onclick: () => window.confirm(t('users.confirm') + ' ' + a.name + '?') && act('DELETE', '/api/accounts/' + encodeURIComponent(a.name)) }))))));
}

async function audit(main) {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const inputs = {
    since: el('input', { type: 'date', id: 'audit-since', value: q.get('since') || '' }),
    actor: el('input', { id: 'audit-actor', value: q.get('actor') || '' }),
    action: el('input', { id: 'audit-action', value: q.get('action') || '' }),
    outcome: el('select', { id: 'audit-outcome' }, ['', 'ok', 'refused', 'failed'].map((x) => el('option', { value: x,
      selected: x === (q.get('outcome') || ''), text: x || t('any') })))
  };
  const query = Object.entries(inputs).filter(([, i]) => i.value).map(([k, i]) => k + '=' + encodeURIComponent(i.value)).join('&');
  const form = el('form', { class: 'filters', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = '#/audit?' + Object.entries(inputs).filter(([, i]) => i.value).map(([k, i]) => k + '=' + encodeURIComponent(i.value)).join('&');
  } }, Object.entries(inputs).map(([k, i]) => el('label', { for: i.id }, t(k === 'since' ? 'calls.since' : 'audit.' + k), i)),
  el('button', { type: 'submit', id: 'audit-apply', text: t('calls.apply') }));
  const r = await api('GET', '/api/audit?' + query);
  if (!r.ok) return r.status === 403 ? notice(t('forbidden'), true) : fail(r);
  main.replaceChildren(el('h1', { text: t('audit.title') }), form, el('table', { id: 'audit-table' },
    el('tr', {}, ['audit.at', 'audit.actor', 'audit.action', 'audit.target', 'audit.outcome', 'audit.address', 'audit.detail']
      .map((c) => el('th', { scope: 'col', text: t(c) }))),
    r.data.entries.map((e) => el('tr', {}, el('td', { text: fmtTime(e.at) }), el('td', { text: e.actor }),
      el('td', { text: e.action }), el('td', { text: e.target || '' }), el('td', { text: e.outcome }),
      el('td', { text: e.address || '' }), el('td', { class: 'muted detail', text: e.detail ? JSON.stringify(e.detail) : '' })))));
}

// ---------- start ----------
document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'ru' ? 'en' : 'ru';
  localStorage.setItem('b24lang', lang);
  applyLanguage();
  route();
});
document.getElementById('logout').addEventListener('click', async () => {
  await api('DELETE', '/api/session');
  me = null;
  location.hash = '#/';
  route();
});
window.addEventListener('hashchange', route);
// every file of the panel is in place by then (deferred scripts run before it)
document.addEventListener('DOMContentLoaded', () => { applyLanguage(); route(); });
