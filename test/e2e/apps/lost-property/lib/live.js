var WebSocket = require('ws');

var wss = null;

function attach(server) {
  wss = new WebSocket.Server({ server: server, path: '/live' });
  wss.on('connection', function (socket) {
    socket.isAlive = true;
    socket.on('pong', function () { socket.isAlive = true; });
    socket.send(JSON.stringify({ type: 'hello' }));
  });
  // keep the screens' connections open through the station's proxy
  setInterval(function () {
    wss.clients.forEach(function (socket) {
      if (!socket.isAlive) return socket.terminate();
      socket.isAlive = false;
      socket.ping();
    });
  }, 30000);
}

function broadcast(message) {
  if (!wss) return;
  var text = JSON.stringify(message);
  wss.clients.forEach(function (client) {
    if (client.readyState === WebSocket.OPEN) client.send(text);
  });
}

module.exports = { attach: attach, broadcast: broadcast };
