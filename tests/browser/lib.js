// lib.js - shared helpers for the browser tests: TAP output, Chromium, fixtures.
'use strict';
const { chromium } = require('playwright-core');
const { execFileSync } = require('child_process');
const path = require('path');

let n = 0;
let failures = 0;

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(name + ' is not set: run through tests/run.py');
  return v;
}

async function launch() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    baseURL: env('POSTBUS_URL'),
    viewport: { width: 1280, height: 860 },
    javaScriptEnabled: true,
  });
  return { browser, context };
}

// test - run one named check and print a TAP line
async function test(name, fn) {
  n += 1;
  try {
    await fn();
    console.log(`ok ${n} - ${name}`);
  } catch (e) {
    failures += 1;
    console.log(`not ok ${n} - ${name}`);
    console.log('# ' + String(e && e.stack || e).split('\n').join('\n# '));
  }
}

function screenshotPath(name) {
  return path.join(process.env.POSTBUS_SCREENSHOTS || '.', name + '.png');
}

// ctl - postbusctl with the stack's config
function ctl(args, input) {
  return execFileSync(env('POSTBUS_CTL'), ['-c', env('POSTBUS_CONF'), ...args],
    { input: input || '', encoding: 'utf8' });
}

// sql - a statement as MariaDB's root (fixtures only; values are test constants)
function sql(query) {
  return execFileSync('mariadb', ['--no-defaults', '-uroot',
    '--socket=' + env('POSTBUS_DB_SOCKET'), '-N', '-B', env('POSTBUS_DB_NAME')],
  { input: query + ';\n', encoding: 'utf8' });
}

async function login(page, user, password) {
  await page.goto('/login');
  await page.fill('#login', user);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

// setup - Chromium and one page, with this run's names: the domain
// WORD<pid>q.example with the prefix WORD<pid>q, its owner own<pid>TAG
async function setup(word, tag) {
  const { browser, context } = await launch();
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const stamp = String(process.pid % 100000);
  const prefix = word + stamp + 'q';   // a prefix ends with a letter
  return {
    browser, context, page, stamp, prefix,
    domain: prefix + '.example',
    owner: 'own' + stamp + tag,
    password: 'Zq7mWx2pLk',
  };
}

// ownerDomain - make the domain of setup() and its owner with postbusctl
// (the Recommended plan), then log the owner in
async function ownerDomain(s) {
  ctl(['domain', 'add', s.domain, '--plan', 'Recommended', '--prefix', s.prefix,
    '--new-owner', s.owner, '--password-stdin', '--contact', 'c@example.org'],
  s.password + '\n');
  await login(s.page, s.owner, s.password);
}

function done() {
  process.exitCode = failures ? 1 : 0;
}

function assert(cond, msg) {
  if (!cond) throw new Error('assertion failed: ' + msg);
}

module.exports = { launch, setup, ownerDomain, test, screenshotPath, ctl, sql, login,
  done, assert, env };
