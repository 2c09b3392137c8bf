/** Tests of what an operator sees in a browser and a metrics scraper. */
package dev.floe.proxy.it.web;
