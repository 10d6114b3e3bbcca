// forms.test.js - forms take one try: a domain owner sends "Create Mailbox"
// with several bad fields and gets every message at once, by its field, with
// a summary that links to each and the first one focused, at desk and phone
// width; on Edit Mailbox, typing a new password picks "Set to".
'use strict';
const { setup, ownerDomain, test, screenshotPath, ctl, sql, login, done, assert, env } =
  require('./lib');

(async () => {
  const s = await setup('frm', 'f');
  const { browser, page, prefix, domain } = s;
  let did;

  await test('"Create Mailbox" with five bad fields shows the five at once', async () => {
    await ownerDomain(s);
    did = sql(`SELECT id FROM domains WHERE name = '${domain}'`).trim();
    await page.goto('/mailbox/new?d=' + did);
    assert(await page.evaluate(() => document.activeElement.id) === 'address',
      'the address is focused on a fresh form');
    await page.fill('#address', 'not valid!');
    await page.fill('#real_name', 'Eve <b>');
    await page.fill('#password', 'short');
    await page.fill('#password2', 'other');
    await page.fill('#quota', 'lots');
    await page.fill('#extra', 'x@elsewhere.example');
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert(await page.isVisible('h1:has-text("Create Mailbox")'), 'the form again');
    const links = await page.$$eval('.error-summary a', (v) => v.map((a) => a.getAttribute('href')));
    assert(JSON.stringify(links) === JSON.stringify(['#address', '#real_name', '#password',
      '#password2', '#quota', '#extra']), 'summary links in the form\'s order: ' + links);
    for (const id of ['address', 'real_name', 'password', 'password2', 'quota', 'extra']) {
      assert(await page.getAttribute('#' + id, 'aria-invalid') === 'true', id + ' aria-invalid');
      const by = await page.getAttribute('#' + id, 'aria-describedby');
      const msg = await page.textContent('#' + by);
      assert(msg && msg.trim().length > 0, id + ' described by its message');
    }
    assert(await page.evaluate(() => document.activeElement.id) === 'address',
      'the first refused field is focused');
    assert((await page.inputValue('#real_name')) === 'Eve <b>', 'real name kept');
    assert((await page.inputValue('#quota')) === 'lots', 'quota kept');
    assert((await page.inputValue('#password')) === '', 'password not echoed');
    assert(sql(`SELECT COUNT(*) FROM mailboxes WHERE domain_id = ${did}`).trim() === '0',
      'nothing written');
    await page.screenshot({ path: screenshotPath('70-forms-errors-desktop'), fullPage: true });
  });

  await test('a summary link takes the reader to its field', async () => {
    await page.click('.error-summary a[href="#extra"]');
    assert(await page.evaluate(() => location.hash) === '#extra', 'at #extra');
    const box = await page.$eval('#extra', (e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, h: window.innerHeight };
    });
    assert(box.top >= 0 && box.top < box.h, 'the field is in view');
  });

  await test('the same errors at phone width: nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 375, 'page width ' + wide);
    assert(await page.isVisible('.error-summary'), 'summary shown');
    const sum = await page.$eval('.error-summary', (e) => e.getBoundingClientRect().right);
    assert(sum <= 375, 'summary inside the screen: ' + sum);
    await page.screenshot({ path: screenshotPath('71-forms-errors-phone'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await test('Edit Mailbox: typing a new password picks "Set to"', async () => {
    ctl(['mailbox', 'add', domain, '--local', 'info', '--password-stdin'], 'Hw4kTn9vRe\n');
    const id = sql(`SELECT id FROM mailboxes WHERE login = '${prefix}0001'`).trim();
    await page.goto('/mailbox/edit?id=' + id);
    assert(await page.isChecked('input[name=pw_mode][value=keep]'), '"Leave unchanged" at first');
    await page.type('#password', 'Tq5nWr8xZb');
    assert(await page.isChecked('input[name=pw_mode][value=set]'), '"Set to" picked by typing');
    await page.fill('#password2', 'Tq5nWr8xZb');
    await page.screenshot({ path: screenshotPath('72-forms-password-set') });
    await Promise.all([page.waitForNavigation(), page.click('form .actions button.primary >> nth=0')]);
    assert(page.url().includes('/mailboxes?d='), 'saved: ' + page.url());
    assert(await page.isVisible('.notice.ok'), 'saved notice');
    const hash = sql(`SELECT pw_hash FROM mailboxes WHERE id = ${id}`).trim();
    const again = sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'mailbox.password' AND object = '${prefix}0001'`).trim();
    assert(hash.length > 0 && again === '1', 'the password was changed (audit ' + again + ')');
  });

  await test('"Create Virtual Server" tells every mistake at once', async () => {
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true,
      baseURL: env('POSTBUS_URL'), viewport: { width: 1280, height: 860 } });
    const su = await ctx.newPage();
    su.setDefaultTimeout(10000);
    await login(su, env('POSTBUS_ADMIN_USER'), env('POSTBUS_ADMIN_PASSWORD'));
    await su.goto('/domain/new');
    await su.fill('#name', 'not a domain');
    await su.fill('#prefix', 'Bad Prefix!');
    await su.fill('#contact', 'nope');
    await su.fill('#owner_login', 'own' + s.stamp + 'x');
    await su.fill('#owner_password', 'short');
    await su.fill('#owner_password2', 'other');
    await Promise.all([su.waitForNavigation(), su.click('button.primary')]);
    const links = await su.$$eval('.error-summary a', (v) => v.map((a) => a.getAttribute('href')));
    assert(JSON.stringify(links) === JSON.stringify(['#name', '#prefix', '#contact',
      '#owner_password', '#owner_password2']), 'five at once: ' + links);
    assert(await su.evaluate(() => document.activeElement.id) === 'name', 'name focused');
    assert((await su.inputValue('#contact')) === 'nope', 'contact kept');
    await su.screenshot({ path: screenshotPath('73-forms-domain-errors'), fullPage: true });
    await ctx.close();
  });

  await browser.close();
  done();
})();
