import nodemailer from 'nodemailer';
import config from '../config.js';

const transport = config.smtp ? nodemailer.createTransport(config.smtp) : nodemailer.createTransport({ jsonTransport: true });

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mail server did not answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function sendMail(message) {
  const info = await withTimeout(transport.sendMail({ from: `${config.shop.name} <${config.shop.bakerEmail}>`, ...message }), 10_000);
  return info.messageId;
}

export function orderConfirmation(customer, product, order, window) {
  return sendMail({
    to: customer.email,
    subject: `Your ${product.name} is reserved (pickup number ${order.pickup_number})`,
    text: `Hello ${customer.name},\n\n${order.quantity} x ${product.name}, ${(order.total_cents / 100).toFixed(2)} EUR.\nCollect it tomorrow between ${window.opens} and ${window.closes} with pickup number ${order.pickup_number}.\n`,
  });
}
