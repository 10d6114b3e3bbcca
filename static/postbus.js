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
  });
})();
