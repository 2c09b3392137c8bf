/** Unit tests of the web player's page and script resource. */
package dev.floe.proxy.web;
