// Same-origin scripts of the portal pages: a tiny `BX` core and the messenger's client side.
// Plain ES5-ish JS served as files (no inline handlers), so any CSP the tests add still works.

export const CORE_JS = String.raw`(function () {
  'use strict';
  var messages = {};
  var BX = (window.BX = window.BX || {});
  BX.message = function (m) {
    if (typeof m === 'string') return messages[m] === undefined ? '' : messages[m];
    if (m && typeof m === 'object') for (var k in m) if (Object.prototype.hasOwnProperty.call(m, k)) messages[k] = m[k];
    return true;
  };
  BX.bitrix_sessid = function () { return messages.bitrix_sessid || ''; };
  BX.ready = function (fn) {
    if (document.readyState !== 'loading') fn();
    else document.addEventListener('DOMContentLoaded', fn);
  };
  function encode(value, prefix, out) {
    if (value === null || value === undefined) return out;
    if (typeof value === 'object') {
      for (var k in value) if (Object.prototype.hasOwnProperty.call(value, k)) encode(value[k], prefix ? prefix + '[' + k + ']' : k, out);
      return out;
    }
    if (typeof value === 'boolean') value = value ? 'Y' : 'N';
    out.push(encodeURIComponent(prefix) + '=' + encodeURIComponent(String(value)));
    return out;
  }
  function AjaxResult(answer, status) { this.answer = answer; this.status = status; }
  AjaxResult.prototype.data = function () { return this.answer.result; };
  AjaxResult.prototype.error = function () {
    return this.answer.error ? { error: this.answer.error, error_description: this.answer.error_description, status: this.status } : null;
  };
  AjaxResult.prototype.total = function () { return this.answer.total; };
  AjaxResult.prototype.more = function () { return this.answer.next !== undefined; };
  AjaxResult.prototype.time = function () { return this.answer.time; };
  BX.rest = {
    // Like the portal's own: POST form-encoded to /rest/<method>.json with the page's sessid;
    // resolves with an ajax result, rejects with it when the answer carries an error.
    callMethod: function (method, params) {
      var body = encode(params || {}, '', []);
      body.push('sessid=' + encodeURIComponent(BX.bitrix_sessid()));
      return fetch('/rest/' + method + '.json', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body.join('&'),
      }).then(function (r) {
        return r.text().then(function (text) {
          var answer;
          try { answer = JSON.parse(text); } catch (e) { answer = { error: 'ERROR_UNEXPECTED_ANSWER', error_description: 'Unexpected answer' }; }
          var result = new AjaxResult(answer, r.status);
          if (answer.error) throw result;
          return result;
        });
      });
    },
  };
})();
`;

export const MESSENGER_JS = String.raw`(function () {
  'use strict';
  var stateEl = document.getElementById('bx-im-portal-state');
  if (!stateEl) return;
  var state = JSON.parse(stateEl.textContent);
  var layout = state.layout;
  var chats = state.chats;
  var messagesByChat = state.messages;

  var legacy = state.markup === 'legacy';
  var ROW = legacy ? '.bx-messenger-cl-item' : '.bx-im-list-recent-item__wrap';
  var ROW_ID = legacy ? 'data-userId' : 'data-id';
  var SELECTED = legacy ? 'bx-messenger-cl-item-active' : '--selected';

  var getters = {
    'chats/get': function (dialogId) { return chats[String(dialogId)] || null; },
    'chats/getByChatId': function (chatId) {
      for (var k in chats) if (chats[k].chatId === Number(chatId)) return chats[k];
      return null;
    },
    'messages/getByChatId': function (chatId) { return messagesByChat[String(chatId)] || []; },
  };
  // im 26.x ("Air"): counters, anchors, recent sections and folders live in their own store modules
  // (J model/src/counters, messages/nested-modules/anchors, recent/nested-modules/folders).
  var air = state.air || null;
  if (air) {
    var counterList = air.counters;
    var counterOf = function (chatId) {
      for (var i = 0; i < counterList.length; i++) if (counterList[i].chatId === Number(chatId)) return counterList[i];
      return null;
    };
    var mutedParent = function (item) {
      if (!item.parentChatId) return false;
      var p = counterOf(item.parentChatId);
      return p ? p.isMuted : false;
    };
    var counts = function (item) {
      if (!item || item.isMuted || mutedParent(item)) return 0;
      return item.counter > 0 ? item.counter : item.isMarkedAsUnread ? 1 : 0;
    };
    var childrenOf = function (chatId) {
      return counterList.filter(function (x) { return x.parentChatId === Number(chatId); });
    };
    var sum = function (list) { return list.reduce(function (n, x) { return n + counts(x); }, 0); };
    getters['counters/getCounterByChatId'] = function (chatId) { var c = counterOf(chatId); return c ? c.counter : 0; };
    getters['counters/getUnreadStatus'] = function (chatId) { var c = counterOf(chatId); return c ? c.isMarkedAsUnread : false; };
    getters['counters/getChildrenTotalCounter'] = function (chatId) { return sum(childrenOf(chatId)); };
    getters['counters/getRecentSectionsByChatId'] = function (chatId) { var c = counterOf(chatId); return c ? c.recentSections : []; };
    getters['counters/getCounterByRecentType'] = function (type) {
      return sum(counterList.filter(function (x) { return !x.parentChatId && x.recentSections.indexOf(type) >= 0; }));
    };
    getters['counters/getTotalCounterByIds'] = function (ids) {
      return sum(counterList.filter(function (x) { return ids.indexOf(x.chatId) >= 0; }));
    };
    getters['counters/getTotalCounterByIdsWithChildren'] = function (ids) {
      return sum(counterList.filter(function (x) { return ids.indexOf(x.chatId) >= 0 || (x.parentChatId && ids.indexOf(x.parentChatId) >= 0); }));
    };
    ['Chat', 'Copilot', 'Collab', 'Task', 'Lines'].forEach(function (name) {
      var section = { Chat: 'default', Copilot: 'copilot', Collab: 'collab', Task: 'tasksTask', Lines: 'lines' }[name];
      getters['counters/getTotal' + name + 'Counter'] = function () { return getters['counters/getCounterByRecentType'](section); };
    });
    var anchorsIn = function (chatId) { return air.anchors.filter(function (a) { return a.chatId === Number(chatId); }); };
    getters['messages/anchors/isChatHasAnchors'] = function (chatId) { return anchorsIn(chatId).length > 0; };
    getters['messages/anchors/isChatHasAnchorsWithType'] = function (chatId, type) {
      return anchorsIn(chatId).some(function (a) { return a.type === type; });
    };
    getters['messages/anchors/getCounterInChatByType'] = function (chatId, type) {
      return anchorsIn(chatId).filter(function (a) { return a.type === type; }).length;
    };
    getters['messages/anchors/getChatMessageIdsWithAnchors'] = function (chatId) {
      return anchorsIn(chatId).map(function (a) { return a.messageId; });
    };
    getters['recent/get'] = function (dialogId) {
      for (var i = 0; i < air.recent.length; i++) if (air.recent[i].dialogId === String(dialogId)) return air.recent[i];
      return null;
    };
    getters['recent/getSortedCollection'] = function (opts) {
      var type = (opts && opts.type) || 'default';
      return air.recent.filter(function (r) { return r.recentSections.indexOf(type) >= 0; });
    };
    getters['recent/getCollectionByIds'] = function (ids) {
      return air.recent.filter(function (r) { return ids.indexOf(r.dialogId) >= 0; });
    };
    getters['recent/folders/getList'] = function () { return air.folders; };
    getters['recent/folders/getById'] = function (id) {
      for (var i = 0; i < air.folders.length; i++) if (String(air.folders[i].id) === String(id)) return air.folders[i];
      return null;
    };
    getters['recent/folders/getPersonalCount'] = function () {
      return air.folders.filter(function (f) { return f.type === 'personal'; }).length;
    };
    getters['application/isChatOpen'] = function (dialogId) { return layout.entityId === String(dialogId); };
  }
  Object.defineProperty(getters, 'application/getLayout', {
    configurable: true,
    enumerable: true,
    get: function () { return layout; },
    set: function (v) { layout = v; },
  });
  var store = { getters: getters, state: { application: { layout: layout }, chats: { collection: chats }, messages: { collection: messagesByChat } } };
  if (state.store !== false && !legacy) {
    window.BX.Messenger = { v2: { Application: { Core: {
      getStore: function () { return store; },
      getUserId: function () { return Number(window.BX.message('USER_ID')); },
      getApplicationData: function () {
        return air ? { counters: air.counters, notificationCounter: air.notificationCounter, anchors: air.anchors, folders: air.folders } : {};
      },
    } } } };
  }
  // BXIM exists in both generations; only the legacy one knows the open tab.
  window.BXIM = window.BXIM || {};
  if (legacy) window.BXIM.messenger = { currentTab: layout.entityId };

  var DIALOG_ID = /^([0-9]+|(chat|sg|crm)[0-9]+)$/i;
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  // The same markup the server renders (pages.ts): common.js drawMessage blocks, or the v2
  // message list (message-list.js, author-group.js, base-message.js).
  function renderMessages(list) {
    var me = Number(window.BX.message('USER_ID'));
    if (legacy) {
      return list.map(function (m) {
        var type = m.authorId === 0 ? 'system' : m.authorId === me ? 'self' : 'other';
        var cls = type === 'system' ? 'bx-messenger-content-item bx-messenger-content-item-system' : type === 'self' ? 'bx-messenger-content-item' : 'bx-messenger-content-item bx-messenger-content-item-2';
        return '<div data-type="' + type + '" data-senderId="' + escapeHtml(m.authorId) + '" data-messageId="' + escapeHtml(m.id) + '" data-blockmessageid="' + escapeHtml(m.id) +
          '" class="' + cls + '"><span class="bx-messenger-content-item-content"><span class="bx-messenger-content-item-status"></span><span class="bx-messenger-content-item-text-center">' +
          '<span class="bx-messenger-content-item-text-message"><span class="bx-messenger-content-item-text-wrap"><span class="bx-messenger-message " id="im-message-' + escapeHtml(m.id) + '">' +
          escapeHtml(m.text) + '</span></span></span><span class="bx-messenger-content-item-params"><span class="bx-messenger-content-item-date"></span></span></span></span></div>';
      }).join('');
    }
    var html = '';
    var group = null;
    list.forEach(function (m) {
      if (!group || group.author !== m.authorId) {
        if (group) html += '</div>';
        group = { author: m.authorId };
        html += '<div class="bx-im-message-list-author-group__container ' + (m.authorId === me ? '--self' : '--opponent') + '">';
      }
      var side = m.authorId === me ? '--self' : m.authorId === 0 ? '--system' : '--opponent';
      html += '<div class="bx-im-message-base__wrap bx-im-message-base__scope ' + side + '" data-id="' + escapeHtml(m.id) + '">' +
        '<div class="bx-im-message-base__container"><div class="bx-im-message-base__content"><div class="bx-im-message-base__body"><div class="bx-im-message-default-content__container">' +
        '<div class="bx-im-message-default-content__text">' + escapeHtml(m.text) + '</div></div></div></div></div></div>';
    });
    if (group) html += '</div>';
    return '<div class="bx-im-message-list__container"><div class="bx-im-message-list-date-group__container">' + html + '</div></div>';
  }
  function openChat(row, dialogId) {
    window.BX.rest.callMethod('im.dialog.messages.get', { DIALOG_ID: dialogId, LIMIT: 50 }).then(function (res) {
      var data = res.data();
      var list = data.messages.slice().reverse().map(function (m) {
        return { id: m.id, chatId: m.chat_id, authorId: m.author_id, date: m.date, text: m.text, unread: m.unread };
      });
      messagesByChat[String(data.chat_id)] = list;
      var scroll = document.querySelector(legacy ? '.bx-messenger-body-wrap' : '.bx-im-dialog-chat__scroll-container');
      if (scroll) scroll.innerHTML = renderMessages(list);
      var title = document.querySelector(legacy ? '.bx-messenger-panel-title' : '.bx-im-chat-header__title');
      var rowTitle = row.querySelector(legacy ? '.bx-messenger-cl-user-title' : '.bx-im-chat-title__text');
      if (title && rowTitle) title.textContent = rowTitle.textContent;
      document.querySelectorAll(ROW + '.' + SELECTED).forEach(function (el) { el.classList.remove(SELECTED); });
      row.classList.add(SELECTED);
      // 26.x: the list's layout stays (folder keeps params.folderId); older pages always say 'chat'.
      layout = air ? { name: layout.name, entityId: dialogId, contextId: 0, params: layout.params || {} } : { name: 'chat', entityId: dialogId, contextId: 0 };
      store.state.application.layout = layout;
      if (legacy) window.BXIM.messenger.currentTab = dialogId;
      document.dispatchEvent(new CustomEvent('bx-im-portal:chat-opened', { detail: { dialogId: dialogId } }));
    }).catch(function (err) {
      console.warn('im.dialog.messages.get failed', err && err.error ? err.error() : err);
    });
  }

  var menu = null;
  function closeMenu() {
    if (menu) { menu.remove(); menu = null; }
  }
  function showMenu(x, y, dialogId, messageId) {
    closeMenu();
    menu = document.createElement('div');
    menu.className = messageId ? 'popup-window bx-im-message-context-menu' : 'popup-window im-recent-context-menu';
    menu.setAttribute('data-dialog-id', dialogId || '');
    if (messageId) menu.setAttribute('data-message-id', messageId);
    menu.style.cssText = 'position:fixed;z-index:1000;left:' + x + 'px;top:' + y + 'px';
    var items = messageId ? ['Reply', 'Copy', 'Pin', 'Mark as unread', 'Forward'] : ['Open in new tab', 'Pin', 'Read', 'Mute', 'Hide'];
    menu.innerHTML = '<div class="menu-popup"><div class="menu-popup-items">' + items.map(function (t) {
      return '<span class="menu-popup-item"><span class="menu-popup-item-text">' + t + '</span></span>';
    }).join('') + '</div></div>';
    document.body.appendChild(menu);
  }

  document.addEventListener('click', function (e) {
    var folderItem = e.target.closest && e.target.closest('.bx-im-messenger-folder-panel__item[data-id]');
    if (folderItem) {
      window.location.assign('/online/?IM_FOLDER=' + encodeURIComponent(folderItem.getAttribute('data-id')));
      return;
    }
    // Menu items are inert: the page never reads or changes anything by itself.
    if (menu && (!menu.contains(e.target) || e.target.closest('.menu-popup-item'))) closeMenu();
    var row = e.target.closest && e.target.closest(ROW);
    if (!row) return;
    var id = row.getAttribute(ROW_ID);
    if (!id || !DIALOG_ID.test(id)) return;
    openChat(row, id);
  });
  // Right-click, as 26.x does it (bitrix24-web-ui.md, "Right-click"): every right-click on a row or a
  // message is Bitrix24's (preventDefault + its own menu), with no modifier bypass. Messages let the
  // browser's menu through only for selected text inside them or inside [data-use-native-context-menu].
  // One bubble-phase listener on the messenger root (Vue binds @click.right on the elements), so a
  // capture-phase listener on window or document runs before it and may stop it.
  var MESSAGE = legacy ? '.bx-messenger-content-item' : '.bx-im-message-base__wrap';
  var MESSAGE_ID = legacy ? 'data-messageId' : 'data-id';
  var root = document.querySelector(legacy ? '.bx-messenger-box' : '.bx-im-messenger__container');
  if (root) root.addEventListener('contextmenu', function (e) {
    var target = e.target;
    if (!target || !target.closest) return;
    var row = target.closest(ROW);
    if (row) {
      e.preventDefault();
      showMenu(e.clientX, e.clientY, row.getAttribute(ROW_ID));
      return;
    }
    var message = target.closest(MESSAGE);
    if (!message) return;
    if (target.closest('[data-use-native-context-menu]')) return;
    var sel = window.getSelection ? window.getSelection() : null;
    if (sel && !sel.isCollapsed && String(sel).trim() !== '' && sel.anchorNode && message.contains(sel.anchorNode)) return;
    e.preventDefault();
    showMenu(e.clientX, e.clientY, layout.entityId, message.getAttribute(MESSAGE_ID));
  }, false);
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeMenu(); });
})();
`;

export const MESSENGER_CSS = `
body{margin:0;font:14px/1.4 Arial,sans-serif;background:#eef2f4;color:#333}
.bx-im-messenger__container{display:flex;height:100vh}
.bx-im-messenger__layout_container{flex:1;min-width:0}
.bx-im-messenger__layout_content{display:flex;height:100%}
.bx-im-messenger__content_container{flex:1;display:flex;flex-direction:column;min-width:0}
.bx-im-content-chat__container{flex:1;display:flex;flex-direction:column;min-height:0}
.bx-im-list-container-recent__elements{width:340px;overflow-y:auto;background:#fff;border-right:1px solid #e0e5e8}
.bx-im-list-recent-item__wrap{cursor:pointer;padding:8px 12px;border-bottom:1px solid #f1f3f5;user-select:none}
.bx-im-list-recent-item__container{display:flex;gap:10px;align-items:center}
.bx-im-list-recent-item__content_container{flex:1;min-width:0}
.bx-im-avatar__container{width:40px;height:40px;border-radius:50%;color:#fff;display:flex;align-items:center;justify-content:center;font-size:13px}
.bx-im-list-recent-item__wrap.--selected{background:#d8eefc}
.bx-im-list-recent-item__wrap.--pinned{background:#f7fafc}
.bx-im-list-recent-item__content_header,.bx-im-list-recent-item__content_bottom{display:flex;justify-content:space-between;gap:6px}
.bx-im-chat-title__text{font-weight:bold;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bx-im-list-recent-item__message_text{color:#777;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bx-im-list-recent-item__counter_number{background:#2fc6f6;color:#fff;border-radius:9px;padding:0 6px;font-size:11px;min-width:8px;min-height:16px}
.bx-im-list-recent-item__counter_number.--muted{background:#bdc1c6}
.bx-im-dialog-chat__block{flex:1;display:flex;flex-direction:column;min-height:0}
.bx-im-chat-header__title{padding:14px;background:#fff;font-weight:bold}
.bx-im-dialog-chat__scroll-container{flex:1;overflow-y:auto;padding:12px}
.bx-im-message-list-author-group__container{margin-bottom:10px}
.bx-im-message-list-author-group__container.--self{text-align:right}
.bx-im-message-base__wrap{display:inline-block;clear:both;margin:2px 0;padding:6px 10px;background:#fff;border-radius:10px;max-width:70%}
.bx-im-message-list-author-group__container .bx-im-message-base__wrap{display:block;width:fit-content}
.--self .bx-im-message-base__wrap{margin-left:auto;background:#e2f7c9}
.bx-im-message-base__wrap.--sending{opacity:.5}
.bx-messenger-box{display:flex;height:100vh}
.bx-messenger-box-contact{width:300px;overflow-y:auto;background:#fff}
.bx-messenger-cl-item{display:block;padding:8px 12px;cursor:pointer;border-bottom:1px solid #f1f3f5}
.bx-messenger-cl-item-active{background:#d8eefc}
.bx-messenger-box-dialog{flex:1;display:flex;flex-direction:column}
.bx-messenger-body{flex:1;overflow-y:auto;padding:12px}
.bx-messenger-content-item{display:block;margin:4px 0;padding:6px 10px;background:#fff;border-radius:8px;width:fit-content}
.bx-im-messenger-folder-panel__container{width:84px;background:#1f3b57;color:#fff;display:flex;flex-direction:column;gap:4px;padding:8px 0;overflow-y:auto}
.bx-im-messenger-folder-panel__item{position:relative;padding:8px 4px;text-align:center;cursor:pointer;font-size:11px;opacity:.8}
.bx-im-messenger-folder-panel__item.--selected{background:rgba(255,255,255,.15);opacity:1}
.bx-im-messenger-folder-panel-item__icon{width:28px;height:28px;margin:0 auto 4px;border-radius:8px;background:rgba(255,255,255,.25)}
.bx-im-messenger-folder-panel-item__counter{position:absolute;top:4px;right:10px;background:#f54819;border-radius:8px;padding:0 5px;font-size:10px}
.bx-im-list-container-folder__container{width:340px;overflow-y:auto;background:#fff;border-right:1px solid #e0e5e8}
.bx-im-list-container-folder__header_container{padding:12px;font-weight:bold;border-bottom:1px solid #e0e5e8}
.bx-im-list-recent-item__counters{display:flex;gap:4px;align-items:center}
.bx-im-list-recent-item__mention{width:16px;height:16px;border-radius:50%;background:#2fc6f6}
.bx-im-list-recent-item__mention::after{content:'@';color:#fff;font-size:11px;display:block;text-align:center;line-height:16px}
.bx-im-list-recent-item__counters_wrap.--muted .bx-im-list-recent-item__counter_number{background:#bdc1c6}
.bx-im-message-context-menu,.im-recent-context-menu{background:#fff;border-radius:6px;box-shadow:0 4px 20px rgba(0,0,0,.2);padding:6px 0;min-width:180px}
.menu-popup-item{display:block;padding:6px 16px;cursor:pointer}
.menu-popup-item:hover{background:#f1f3f5}
`;
