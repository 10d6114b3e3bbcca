// login.test.js - log in, see Virtual Server Information, log out.
'use strict';
const { setup, test, screenshotPath, ctl, sql, login, done, assert, env } = require('./lib');

(async () => {
  const { browser, context, page, stamp, password } = await setup('lgn', 'a');
  const owner = 'bro' + stamp + 'a';
  const domain = 'browser' + stamp + '.example';

  await test('login page looks right', async () => {
    await page.goto('/login');
    assert(await page.isVisible('h1:has-text("Login to postbus")'), 'heading');
    await page.screenshot({ path: screenshotPath('01-login'), fullPage: true });
  });

  await test('wrong password shows an error on the form', async () => {
    await login(page, env('POSTBUS_ADMIN_USER'), 'not-the-Password1');
    assert(await page.isVisible('.notice.error'), 'error notice');
    assert((await page.inputValue('#login')) === env('POSTBUS_ADMIN_USER'), 'login kept');
    await page.screenshot({ path: screenshotPath('02-login-failed'), fullPage: true });
    sql("DELETE FROM login_failures");
  });

  await test('superuser logs in and sees the domain list', async () => {
    await login(page, env('POSTBUS_ADMIN_USER'), env('POSTBUS_ADMIN_PASSWORD'));
    assert(page.url().endsWith('/home'), 'at /home: ' + page.url());
    assert(await page.isVisible('text=Superuser'), 'role shown');
    await page.screenshot({ path: screenshotPath('03-superuser-home'), fullPage: true });
    await page.click('button:has-text("Logout")');
    assert(page.url().includes('/login'), 'back at login');
  });

  await test('domain owner logs in and sees Virtual Server Information', async () => {
    sql(`INSERT INTO domains (name, prefix, plan_id, description, contact_email, created_by)
         VALUES ('${domain}', 'bro${stamp}x', 2, 'Monsite', 'monsite@${domain}', 'test')`);
    ctl(['admin', 'add', owner, '--role', 'owner', '--domain', domain, '--password-stdin'],
      password + '\n');
    await login(page, owner, password);
    assert(await page.isVisible('h1:has-text("Virtual Server Information")'), 'heading');
    const text = await page.textContent('main');
    assert(text.includes(domain), 'domain name shown');
    assert(text.includes('Recommended'), 'plan shown');
    assert(text.includes('0 out of 10'), 'mailboxes used/allowed');
    assert(text.includes('additional mailboxes can be added'), 'limits sentence');
    await page.screenshot({ path: screenshotPath('04-owner-home'), fullPage: true });
  });

  await test('logout ends the session', async () => {
    await page.click('button:has-text("Logout")');
    assert(await page.isVisible('text=You have been logged out'), 'logged out notice');
    await page.goto('/home');
    assert(page.url().includes('/login'), 'redirected to login');
  });

  await browser.close();
  done();
})();
