// mailbox.test.js - a domain owner adds a mailbox through the form, gets a
// bad form back with the message by the field, and deletes the mailbox
// through "Delete Selected Users" and its confirmation page.
'use strict';
const { setup, ownerDomain, test, screenshotPath, ctl, done, assert } = require('./lib');

(async () => {
  const s = await setup('mbx', 'm');
  const { browser, page, prefix, domain } = s;
  const login0001 = prefix + '0001';
  const mailboxPassword = 'Hw4kTn9vRe';

  await test('domain owner made with postbusctl opens Edit Mail Users', async () => {
    await ownerDomain(s);
    await Promise.all([page.waitForNavigation(),
      page.click('nav >> a:has-text("Edit Mail Users")')]);
    assert(page.url().includes('/mailboxes?d='), 'at the list: ' + page.url());
    assert(await page.isVisible('h1:has-text("Edit Mail Users")'), 'heading');
    assert(await page.isVisible('text=There are no mailboxes yet.'), 'empty list');
    assert(await page.isVisible('text=10 additional mailboxes can be added'), 'limits');
    await page.screenshot({ path: screenshotPath('20-mailboxes-empty'), fullPage: true });
  });

  await test('"Add a user to this server" opens the form with the imposed login', async () => {
    await Promise.all([page.waitForNavigation(),
      page.click('a:has-text("Add a user to this server")')]);
    assert(await page.isVisible('h1:has-text("Create Mailbox")'), 'heading');
    assert((await page.textContent('code.login')).trim() === login0001, 'login shown');
    assert(await page.isVisible(`text=@${domain}`), 'domain after the address field');
    assert(await page.$('input[name=login]') === null, 'no login field');
  });

  await test('the owner fills the form and sees the new mailbox in the list', async () => {
    await page.fill('#address', 'info');
    await page.fill('#real_name', 'Anna de Vries');
    await page.fill('#password', mailboxPassword);
    await page.fill('#password2', mailboxPassword);
    await page.screenshot({ path: screenshotPath('21-mailbox-new'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert(page.url().includes('/mailboxes?d='), 'back at the list: ' + page.url());
    assert(await page.isVisible(`.notice.ok:has-text("The mailbox ${login0001} has been created.")`),
      'created notice');
    const row = page.locator('table.mailboxes tbody tr', { hasText: login0001 });
    assert(await row.count() === 1, 'one row for ' + login0001);
    const text = await row.textContent();
    assert(text.includes('info@' + domain), 'address in the row');
    assert(text.includes('Anna de Vries'), 'real name in the row');
    assert(text.includes('Never'), 'never logged in');
    assert(text.includes('Enabled'), 'login access');
    await page.screenshot({ path: screenshotPath('22-mailboxes-one'), fullPage: true });
  });

  await test('a weak password gets the message next to the field, other fields kept', async () => {
    await Promise.all([page.waitForNavigation(),
      page.click('a:has-text("Add a user to this server") >> nth=0')]);
    await page.fill('#address', 'sales');
    await page.fill('#real_name', 'Bert Jansen');
    await page.fill('#password', 'password');
    await page.fill('#password2', 'password');
    await page.fill('#extra', 'verkoop');
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert(await page.isVisible('h1:has-text("Create Mailbox")'), 'the form again');
    assert(await page.isVisible('.error-summary'), 'the summary of errors at the top');
    assert(await page.isVisible('.field.has-error #password'), 'password marked');
    const msg = await page.textContent('.field.has-error:has(#password) .field-error');
    assert(msg && msg.trim().length > 0, 'a message by the password field');
    assert((await page.inputValue('#address')) === 'sales', 'address kept');
    assert((await page.inputValue('#real_name')) === 'Bert Jansen', 'real name kept');
    assert((await page.inputValue('#extra')).trim() === 'verkoop', 'extra addresses kept');
    assert((await page.inputValue('#password')) === '', 'password not echoed');
    assert((await page.textContent('code.login')).trim() === prefix + '0002', 'next login');
    await page.screenshot({ path: screenshotPath('23-mailbox-new-error'), fullPage: true });
  });

  await test('"Delete Selected Users" asks first, then deletes', async () => {
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Cancel")')]);
    await page.check(`input[aria-label="Select ${login0001}"]`);
    await Promise.all([page.waitForNavigation(),
      page.click('button:has-text("Delete Selected Users")')]);
    assert(await page.isVisible('h1:has-text("Delete Mail Users")'), 'confirmation page');
    assert(await page.isVisible('text=Are you sure you want to delete these mailboxes?'),
      'question');
    assert(await page.isVisible(`table.list code:has-text("${login0001}")`), 'names the mailbox');
    await page.screenshot({ path: screenshotPath('24-mailbox-delete-confirm'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('button.danger')]);
    assert(page.url().includes('/mailboxes?d='), 'back at the list: ' + page.url());
    assert(await page.isVisible('text=1 mailbox deleted.'), 'deleted notice');
    assert(await page.locator('table.mailboxes tbody tr', { hasText: login0001 }).count() === 0,
      'no longer listed');
    assert(await page.isVisible('text=There are no mailboxes yet.'), 'empty again');
    await page.screenshot({ path: screenshotPath('25-mailboxes-deleted'), fullPage: true });
  });

  await browser.close();
  done();
})();
