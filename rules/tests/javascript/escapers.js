// Hand-written HTML escapers (replace '<' by its character reference) and
// code built with new Function.
const express = require('express');

const app = express();

function escapeText(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function stripNewlines(s) {
  return s.replace(/[\r\n]/g, ' ');
}

app.get('/greet', (req, res) => {
  const name = req.query.name;
  // ok: xss
  res.send('<p>Hello ' + escapeText(name) + '</p>');
  // ok: xss
  res.send(name.replaceAll('<', '&#60;'));
  // ruleid: xss
  res.send('<p>' + name.replace(/>/g, '&gt;') + '</p>');
  // ruleid: xss
  res.send('<p>' + stripNewlines(name) + '</p>');
});

app.post('/calc', (req, res) => {
  // ruleid: code-injection
  const f = new Function('x', req.body.expression);
  // ok: code-injection
  const g = new Function('x', 'return x * 2');
  res.json({ a: f(1), b: g(2) });
});
