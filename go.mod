module github.com/roster-cli/roster

go 1.26.8

require github.com/mattn/go-runewidth v0.0.19

require (
	github.com/clipperhouse/stringish v0.1.1 // indirect
	github.com/clipperhouse/uax29/v2 v2.5.0 // indirect
)
