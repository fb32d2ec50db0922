# METADATA
# title: t
# custom:
#   id: USR-FUZ-001
#   severity: low
package user.fuzz

x := [[[[[[[[[[[[[[[[[[[[[[[[
