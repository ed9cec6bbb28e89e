// Preloaded (node -r) into the Node-RED child of `npm start`: when the parent goes away without
// stopping it (killed, crashed), its IPC channel closes and Node-RED stops as on Ctrl-C, instead
// of staying behind on the port.
if (process.channel) {
  // The channel alone must not keep Node-RED running, nor stop it from exiting.
  process.channel.unref();
  process.once("disconnect", () => process.kill(process.pid, "SIGINT"));
}
