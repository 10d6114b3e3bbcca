// staff.test.js - a reseller creates a plan and a virtual server; the new
// owner logs in and sees Virtual Server Information.
'use strict';
const { setup, test, screenshotPath, ctl, login, done, assert } = require('./lib');

(async () => {
  const { browser, context, page, stamp, password } = await setup('stf', 'b');
  const reseller = 'res' + stamp + 'b';
  const owner = 'own' + stamp + 'b';
  const plan = 'Shop' + stamp;
  const domain = 'boutique' + stamp + '.example';

  await test('reseller made with postbusctl logs in', async () => {
    ctl(['admin', 'add', reseller, '--role', 'reseller', '--max-domains', '3',
      '--password-stdin'], password + '\n');
    await login(page, reseller, password);
    assert(await page.isVisible('text=Reseller'), 'role shown');
    assert(await page.isVisible('a:has-text("Create Virtual Server")'), 'menu entry');
  });

  await test('reseller creates an account plan', async () => {
    await page.goto('/plan/new');
    await page.fill('#name', plan);
    await page.fill('#mail_quota', '5 GB');
    await page.fill('#max_mailboxes', '3');
    await page.fill('#default_mailbox_quota', '1 GB');
    await page.screenshot({ path: screenshotPath('10-plan-new'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert(page.url().includes('/plans'), 'back at the plans: ' + page.url());
    assert(await page.isVisible(`a:has-text("${plan}")`), 'plan listed');
    await page.screenshot({ path: screenshotPath('11-plans'), fullPage: true });
  });

  await test('a wrong form is shown again with the message next to the field', async () => {
    await page.goto('/domain/new');
    await page.fill('#name', 'not a domain');
    await page.fill('#description', 'Boutique');
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert(await page.isVisible('.field.has-error #name'), 'name marked');
    assert((await page.inputValue('#description')) === 'Boutique', 'description kept');
    await page.screenshot({ path: screenshotPath('12-domain-new-error'), fullPage: true });
  });

  await test('reseller creates a virtual server with a new owner', async () => {
    await page.goto('/domain/new');
    await page.fill('#name', domain);
    await Promise.all([page.waitForNavigation(), page.click('button[name=suggest]')]);
    assert((await page.inputValue('#prefix')).startsWith('boutique'), 'prefix suggested');
    const value = await page.$eval('#plan', (s, p) =>
      [...s.options].find((o) => o.text.startsWith(p + ' ')).value, plan);
    await page.selectOption('#plan', value);
    await page.fill('#description', 'Boutique');
    await page.fill('#contact', 'patron@' + domain);
    await page.fill('#owner_login', owner);
    await page.fill('#owner_password', password);
    await page.fill('#owner_password2', password);
    await page.screenshot({ path: screenshotPath('13-domain-new'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert(await page.isVisible('h1:has-text("Virtual Server Details")'), 'details page');
    const text = await page.textContent('main');
    assert(text.includes(domain) && text.includes(owner) && text.includes(plan), 'details');
    await page.screenshot({ path: screenshotPath('14-domain-details'), fullPage: true });
    await page.goto('/domains');
    assert(await page.isVisible(`a:has-text("${domain}")`), 'listed');
    await page.screenshot({ path: screenshotPath('15-domain-list'), fullPage: true });
    await page.click('button:has-text("Logout")');
  });

  await test('the new owner logs in and sees Virtual Server Information', async () => {
    await context.clearCookies();
    await login(page, owner, password);
    assert(await page.isVisible('h1:has-text("Virtual Server Information")'), 'heading');
    const text = await page.textContent('main');
    assert(text.includes(domain), 'domain shown');
    assert(text.includes(plan), 'plan shown');
    assert(text.includes('0 out of 3'), 'mailboxes used/allowed');
    assert(!(await page.isVisible('a:has-text("Create Virtual Server")')), 'no staff menu');
    await page.screenshot({ path: screenshotPath('16-owner-home'), fullPage: true });
  });

  await test('every page fits a phone screen; a wide list scrolls in its own box', async () => {
    ctl(['mailbox', 'add', domain, '--local', 'phone', '--name',
      'A rather long real name for a phone', '--password-stdin'], password + '\n');
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto('/home');
    const d = await page.$eval('#sel-d', (s) => s.value);
    const wide = async (path) => {
      await page.goto(path);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(w <= 375, path + ' is ' + w + ' px wide');
    };
    for (const path of ['/home?d=' + d, '/domain?d=' + d, '/mailboxes?d=' + d,
      '/aliases?d=' + d, '/audit', '/mailbox/new?d=' + d, '/passwords?d=' + d]) {
      await wide(path);
    }
    await page.goto('/mailboxes?d=' + d);
    const box = await page.$eval('.table-scroll', (e) => [e.scrollWidth, e.clientWidth]);
    assert(box[0] > box[1], 'the list scrolls inside its box: ' + box);
    await page.screenshot({ path: screenshotPath('17-mailboxes-phone'), fullPage: true });
    await context.clearCookies();
    await login(page, reseller, password);
    for (const path of ['/domains', '/plans', '/domain?d=' + d]) {
      await wide(path);
    }
    await page.screenshot({ path: screenshotPath('18-details-phone'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await browser.close();
  done();
})();
