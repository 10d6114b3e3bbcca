/* postbus.js - small conveniences; every page works without them. */
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('select.autosubmit').forEach(function (s) {
      s.addEventListener('change', function () { if (s.value) s.form.submit(); });
    });
    document.querySelectorAll('[data-select]').forEach(function (a) {
      a.addEventListener('click', function (ev) {
        var form = document.getElementById(a.getAttribute('data-form'));
        if (!form) return;
        ev.preventDefault();
        form.querySelectorAll('input[type=checkbox][name="' + a.getAttribute('data-select') + '"]').forEach(function (c) {
          c.checked = a.getAttribute('data-mode') === 'invert' ? !c.checked : true;
        });
      });
    });
    // a password typed under "Leave unchanged" means "Set to": pick it
    // (without this script the server refuses such a form, never drops it)
    document.querySelectorAll('input[data-pick]').forEach(function (p) {
      p.addEventListener('input', function () {
        var r = document.getElementById(p.getAttribute('data-pick'));
        if (r && p.value !== '') r.checked = true;
      });
    });
  });
})();
