from exportcheck.cli.app import main

main()
