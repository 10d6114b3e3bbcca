// mailclient.test.js - a domain owner opens a mailbox, follows "Mail client
// settings", reads the settings a mail program needs (host, ports, security,
// maximum size), at desk and phone width and as printed; the domain's page
// from the sidebar.
'use strict';
const { setup, ownerDomain, test, screenshotPath, ctl, done, assert, env } = require('./lib');

(async () => {
  const s = await setup('mcs', 'c');
  const { browser, page, prefix, domain } = s;
  const host = env('POSTBUS_HOSTNAME');

  await test('the owner opens a mailbox and follows "Mail client settings"', async () => {
    await ownerDomain(s);
    ctl(['mailbox', 'add', domain, '--local', 'info', '--name', 'Anna de Vries',
      '--password-stdin'], 'Hw4kTn9vRe\n');
    await Promise.all([page.waitForNavigation(),
      page.click('nav >> a:has-text("Edit Mail Users")')]);
    await Promise.all([page.waitForNavigation(),
      page.click(`a:has-text("${prefix}0001")`)]);
    await Promise.all([page.waitForNavigation(),
      page.click('main >> a[href^="/mailbox/settings"]')]);
    assert(page.url().includes('/mailbox/settings?id='), 'at the page: ' + page.url());
    assert(await page.isVisible('h1:has-text("Mail client settings")'), 'heading');
    await page.screenshot({ path: screenshotPath('60-mailclient'), fullPage: true });
  });

  await test('the page names the login, the host, every port and the size', async () => {
    const text = await page.textContent('.content');
    assert((await page.textContent('code.login')).trim() === prefix + '0001', 'login');
    assert(text.includes('info@' + domain), 'address');
    assert(text.includes(host), 'host ' + host);
    for (const p of ['IMAPS', 'IMAP', 'POP3S', 'POP3', 'SUBMISSION', 'SUBMISSION_STARTTLS']) {
      assert(text.includes(env('POSTBUS_' + p + '_PORT')), 'port ' + p);
    }
    assert(text.includes('SSL/TLS') && text.includes('STARTTLS'), 'security');
    assert(text.includes('12 MB'), 'maximum message size');
    assert(!text.includes('Hw4kTn9vRe'), 'never the password');
  });

  await test('printed: no menu, everything on one page', async () => {
    await page.emulateMedia({ media: 'print' });
    assert(!(await page.isVisible('nav.sidebar')), 'sidebar hidden in print');
    assert(await page.isVisible('table.details'), 'settings printed');
    await page.screenshot({ path: screenshotPath('61-mailclient-print'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert(pages === 1, 'one printed page, not ' + pages);
    await page.emulateMedia({ media: 'screen' });
  });

  await test('at phone width nothing runs off the screen', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 376, 'page width ' + wide);
    await page.screenshot({ path: screenshotPath('62-mailclient-phone'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await test('the domain page from the sidebar', async () => {
    await Promise.all([page.waitForNavigation(),
      page.click('nav >> a:has-text("Mail Client Settings")')]);
    assert(page.url().includes('/mailclient?d='), 'at the page: ' + page.url());
    const text = await page.textContent('.content');
    assert(text.includes(domain), 'domain named');
    assert(text.includes(env('POSTBUS_IMAPS_PORT')), 'IMAPS port');
    await page.screenshot({ path: screenshotPath('63-mailclient-domain'), fullPage: true });
  });

  await browser.close();
  done();
})();
