/**
 * The field rules of the contract, as Bean Validation constraints, so that every API that takes an artefact, a
 * commit or a feature key refuses the same inputs with the same words. Each also carries its {@code PATTERN} for code
 * that checks a value outside Bean Validation, such as a CDEvent's purl or a path segment.
 */
package dev.twostep.events.rules;
