// aliases.test.js - a domain owner adds an alias with two destinations
// through "Edit Mail Aliases", gets a bad form back with the message by
// the field, and sets a forward in the "Mail forwarding settings" section
// of Edit Mailbox; the mailbox list then says where its mail goes.
'use strict';
const { setup, ownerDomain, test, screenshotPath, ctl, done, assert } = require('./lib');

(async () => {
  const s = await setup('als', 'a');
  const { browser, page, prefix, domain } = s;
  let info;

  await test('the owner opens Edit Mail Aliases from the sidebar', async () => {
    await ownerDomain(s);
    info = JSON.parse(ctl(['--json', 'mailbox', 'add', domain, '--local', 'info',
      '--password-stdin'], 'Hw4kTn9vRe\n')).login;
    await Promise.all([page.waitForNavigation(),
      page.click('nav >> a:has-text("Edit Mail Aliases")')]);
    assert(page.url().includes('/aliases?d='), 'at the list: ' + page.url());
    assert(await page.isVisible('h1:has-text("Edit Mail Aliases")'), 'heading');
    const row = page.locator('table.aliases tbody tr', { hasText: 'postmaster' });
    assert(await row.count() === 1, 'the required postmaster alias');
    assert((await row.textContent()).includes('Required'), 'marked required');
    assert(await row.locator('input[type=checkbox]').count() === 0, 'no box to delete it');
    await page.screenshot({ path: screenshotPath('40-aliases-list'), fullPage: true });
  });

  await test('a destination that does not exist gets the message by the field', async () => {
    await Promise.all([page.waitForNavigation(),
      page.click('a:has-text("Add an alias to this domain") >> nth=0')]);
    assert(await page.isVisible('h1:has-text("Create Alias")'), 'form');
    assert(await page.isVisible('text=All mailboxes'), 'the catch-all choice');
    await page.fill('#name', 'team');
    await page.fill('#dests', 'nobody@' + domain);
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert(await page.isVisible('.field.has-error #dests'), 'destinations marked');
    const msg = await page.textContent('.field.has-error:has(#dests) .field-error');
    assert(msg.includes('no such address'), 'message: ' + msg);
    assert((await page.inputValue('#name')) === 'team', 'name kept');
    await page.screenshot({ path: screenshotPath('41-alias-error'), fullPage: true });
  });

  await test('an alias with two destinations is created and listed', async () => {
    await page.fill('#dests', info + '\nfriend@example.net');
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert(await page.isVisible('.notice.ok:has-text("The alias has been created.")'),
      'created notice');
    const row = page.locator('table.aliases tbody tr', { hasText: 'team' });
    const text = await row.textContent();
    assert(text.includes('Address ' + info), 'login destination: ' + text);
    assert(text.includes('Address friend@example.net'), 'remote destination');
    await page.screenshot({ path: screenshotPath('42-aliases-two'), fullPage: true });
  });

  await test('a forward is set on Edit Mailbox and shown on the list', async () => {
    await Promise.all([page.waitForNavigation(),
      page.click('nav >> a:has-text("Edit Mail Users")')]);
    await Promise.all([page.waitForNavigation(),
      page.click(`a:has-text("${info}")`)]);
    assert(await page.isVisible('h2:has-text("Mail forwarding settings")'), 'section');
    await page.check('input[name=deliver][value=yes]');
    await page.fill('#forward', 'info.private@example.net\nboss@example.net');
    await page.screenshot({ path: screenshotPath('43-forward-form'), fullPage: true });
    await Promise.all([page.waitForNavigation(),
      page.click('button:has-text("Save forwarding")')]);
    const row = page.locator('table.mailboxes tbody tr', { hasText: info });
    assert((await row.textContent()).includes('→ 2 addresses'), 'forward shown');
    await page.screenshot({ path: screenshotPath('44-mailboxes-forward'), fullPage: true });
  });

  await test('the list works at phone width', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto('/aliases?d=' + new URL(page.url()).searchParams.get('d'));
    assert(await page.isVisible('h1:has-text("Edit Mail Aliases")'), 'heading');
    await page.screenshot({ path: screenshotPath('45-aliases-phone'), fullPage: true });
  });

  await browser.close();
  done();
})();
