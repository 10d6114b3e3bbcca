// vacation.test.js - a domain owner sets a mailbox's automatic reply on Edit
// Mailbox (seed 000 §9), gets bad dates back with the message by the field,
// sees the mark on Edit Mail Users, and switches the reply off; the same
// section at phone width.
'use strict';
const { setup, ownerDomain, test, screenshotPath, ctl, sql, done, assert } = require('./lib');

(async () => {
  const s = await setup('vac', 'v');
  const { browser, page, prefix, domain } = s;
  const box = prefix + '0001';

  await test('the owner opens Edit Mailbox and finds "Send automatic reply"', async () => {
    await ownerDomain(s);
    ctl(['mailbox', 'add', domain, '--local', 'info', '--password-stdin'], 'Hw4kTn9vRe\n');
    const id = sql(`SELECT id FROM mailboxes WHERE login = '${box}'`).trim();
    await page.goto('/mailbox/edit?id=' + id);
    assert(await page.isVisible('h2:has-text("Automatic reply")'), 'section heading');
    assert(await page.isVisible('legend:has-text("Send automatic reply")'), 'the seed\'s words');
    assert(await page.isVisible('text=Automatic reply options'), 'options heading');
    assert(await page.isChecked('input[name=vac_mode][value=off]'), 'off at first');
    assert((await page.inputValue('#subject')) === 'Out of office', 'default subject');
  });

  await test('an end before the start comes back with the message by the field', async () => {
    await page.check('input[name=vac_mode][value=on]');
    await page.fill('#subject', 'On holiday');
    await page.fill('#body', 'I am away until the 19th.\nFor urgent matters: boss@example.org');
    await page.fill('#interval', '10');
    await page.check('input[name=start_mode][value=date]');
    await page.fill('#start', '2030-09-19');
    await page.check('input[name=end_mode][value=date]');
    await page.fill('#end', '2030-09-09');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save automatic reply")')]);
    assert(await page.isVisible('.field.has-error #end'), 'end date marked');
    const msg = await page.textContent('.field.has-error:has(#end) .field-error');
    assert(msg.includes('before the start date'), 'message: ' + msg);
    assert((await page.inputValue('#subject')) === 'On holiday', 'subject kept');
    assert((await page.inputValue('#body')).startsWith('I am away'), 'message kept');
    assert((await page.inputValue('#address')) === 'info', 'the mailbox form as stored');
    await page.screenshot({ path: screenshotPath('60-vacation-error'), fullPage: true });
  });

  await test('a correct reply is saved and marked on Edit Mail Users', async () => {
    await page.fill('#end', '2030-09-29');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save automatic reply")')]);
    assert(page.url().includes('/mailboxes?d='), 'back at the list: ' + page.url());
    const row = page.locator('table.mailboxes tbody tr', { hasText: box });
    assert((await row.textContent()).includes('Reply on'), 'the mark in the row');
    await page.screenshot({ path: screenshotPath('61-vacation-list'), fullPage: true });
    const v = JSON.parse(ctl(['--json', 'mailbox', 'show', box])).vacation;
    assert(v.active === 1 && v.subject === 'On holiday' && v.interval === 10 &&
      v.start === '2030-09-19' && v.end === '2030-09-29', JSON.stringify(v));
  });

  await test('Edit Mailbox shows the reply as saved, also at phone width', async () => {
    await Promise.all([page.waitForNavigation(), page.click(`a:has-text("${box}")`)]);
    assert(await page.isChecked('input[name=vac_mode][value=on]'), 'on');
    assert((await page.inputValue('#start')) === '2030-09-19', 'start date');
    await page.screenshot({ path: screenshotPath('62-vacation-edit'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(w <= 390, 'no sideways scrolling at phone width: ' + w);
    await page.locator('#vacation').screenshot({ path: screenshotPath('63-vacation-phone') });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await test('switching it off takes the mark away', async () => {
    await page.check('input[name=vac_mode][value=off]');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save automatic reply")')]);
    const row = page.locator('table.mailboxes tbody tr', { hasText: box });
    assert(!(await row.textContent()).includes('Reply on'), 'no mark');
  });

  await browser.close();
  done();
})();
